"""A search for a name or IIN leaves no trace in URLs or logs (issue 15, item 3)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.urls import reverse

from audit.masking import mask_personal_data

pytestmark = pytest.mark.django_db
HANDLER = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")


@pytest.fixture
def every_record(caplog):
    """Every record of every logger, those that do not propagate to the root included."""
    caplog.set_level(logging.DEBUG)
    quiet = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for name in ("django.server", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not logger.propagate and logger not in quiet:
            quiet.append(logger)
    for logger in quiet:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in quiet:
        logger.removeHandler(caplog.handler)


def _trace(records, *secrets: str) -> list[str]:
    found = []
    for record in records:
        # What any handler can write: the message, its arguments, the formatted line.
        text = " ".join([record.getMessage(), str(record.args or ""), HANDLER.format(record)])
        found += [f"{record.name}: {text}" for secret in secrets if secret in text]
    return found


def _urls(response) -> list[str]:
    return [url for url, _status in response.redirect_chain] + [response.request["PATH_INFO"]]


def test_admin_search_for_an_iin_goes_by_post_and_stays_in_the_session(world, client, every_record):
    iin = world.respondent_a.iin
    client.force_login(world.users["department"])
    url = reverse("admin:respondents_respondent_changelist")
    response = client.post(url, {"q": iin, "_search": "1"}, follow=True)

    assert response.status_code == 200
    assert all(iin not in address for address in _urls(response))
    found = list(response.context["cl"].result_list)
    assert world.respondent_a in found
    assert {row.iin for row in found} == {iin}
    assert f'value="{iin}"' in response.content.decode()  # the box shows the term
    assert "?q=" not in response.content.decode()  # ...and no link carries it
    # Sorting, filtering and paging keep the search (the session), not the URL.
    again = client.get(url, {"o": "1"})
    assert set(again.context["cl"].result_list) == set(found)
    assert not _trace(every_record.records, iin)


def test_every_admin_with_a_search_box_posts_it():
    from django.contrib import admin

    from audit.mixins import SessionSearchAdminMixin

    searching = [ma for ma in admin.site._registry.values() if ma.search_fields]
    assert len(searching) > 10
    assert [
        type(ma).__name__ for ma in searching if not isinstance(ma, SessionSearchAdminMixin)
    ] == []


@pytest.mark.parametrize(
    "changelist", ["admin:audit_auditevent_changelist", "admin:axes_accessattempt_changelist"]
)
def test_admin_search_of_other_admins_is_posted_too(world, client, changelist):
    client.force_login(world.users["department"])
    url = reverse(changelist)
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    response = client.post(url, {"q": "officer_a", "_search": "1"}, follow=True)
    assert response.status_code == 200
    assert response.context["cl"].query == "officer_a"
    assert all("officer_a" not in address for address in _urls(response))


def test_admin_search_link_with_q_is_moved_to_the_session_and_cleared(world, client):
    iin = world.respondent_a.iin
    client.force_login(world.users["department"])
    url = reverse("admin:respondents_respondent_changelist")
    response = client.get(url, {"q": iin, "sex": "male"})
    assert response.status_code == 302
    assert iin not in response["Location"]
    assert "sex=male" in response["Location"]
    response = client.post(url, {"q": iin, "_clear_search": "1"}, follow=True)
    assert response.context["cl"].query == ""
    assert response.context["cl"].result_count > 1


def test_admin_search_is_audited_by_filter_name_only(world, client):
    from audit.models import AuditAction, AuditEvent

    iin = world.respondent_a.iin
    client.force_login(world.users["department"])
    client.post(
        reverse("admin:respondents_respondent_changelist"), {"q": iin, "_search": "1"}, follow=True
    )
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("pk")
    assert event.object_type == "respondents.respondent"
    assert iin not in str(event.extra)
    assert "q" in str(event.extra)


def test_officer_page_search_for_an_iin_leaves_no_trace(world, client, every_record):
    iin = world.respondent_a.iin
    client.force_login(world.users["officer_a"])
    url = reverse("respondents:list_detail", args=[world.respondent_a.respondent_list_id])
    response = client.post(url, {"q": iin}, follow=True)
    assert response.status_code == 200
    assert all(iin not in address for address in _urls(response))
    assert world.respondent_a.surname in response.content.decode()
    client.get(f"/no-such-page/{iin}/", {"q": iin})  # a 404 is logged by django.request
    assert not _trace(every_record.records, iin)


def test_every_logger_masks_iins_and_drops_query_strings(every_record):
    iin = "880101300123"
    # As runserver logs a request, a module logs a value, and a record made with args.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /admin/respondents/respondent/?q={iin} HTTP/1.1", "200", "512"
    )
    logging.getLogger("respondents.anything").warning("found %s", iin)
    logging.getLogger("django.request").warning("Not Found: /lists/1/?q=Қасымов")
    messages = [record.getMessage() for record in every_record.records]
    assert not _trace(every_record.records, iin, "?q=", "Қасымов")
    assert '"GET /admin/respondents/respondent/ HTTP/1.1" 200 512' in messages
    assert "found ************" in messages


def test_gunicorn_access_log_of_the_shipped_config_has_no_query_string(every_record):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    config = Config()
    config.set("config", "gunicorn.conf.py")
    namespace: dict = {}
    with open("gunicorn.conf.py", encoding="utf-8") as handle:
        exec(compile(handle.read(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    config.set("accesslog", namespace["accesslog"])
    config.set("access_log_format", namespace["access_log_format"])
    logger = Logger(config)
    logger.access_log.addHandler(every_record.handler)
    iin = "880101300123"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/admin/respondents/respondent/?q={iin}",
        "PATH_INFO": "/admin/respondents/respondent/",
        "QUERY_STRING": f"q={iin}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://census.example/admin/?q={iin}",
        "HTTP_USER_AGENT": "test",
        "REMOTE_ADDR": "10.0.0.1",
    }
    request = SimpleNamespace(headers=[], method="GET", path=environ["PATH_INFO"])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], status_code=200)
    from datetime import timedelta

    logger.access(response, request, environ, timedelta(milliseconds=5))
    logged = [r for r in every_record.records if r.name == "gunicorn.access"]
    assert logged, "the shipped config writes an access log"
    assert "/admin/respondents/respondent/" in logged[-1].getMessage()
    assert not _trace(logged, iin, "?q=")


def test_masking_keeps_paths_and_short_numbers():
    assert mask_personal_data("GET /lists/12/?page=2 took 5 ms") == "GET /lists/12/ took 5 ms"
    assert mask_personal_data("IIN 880101300123.") == "IIN ************."
