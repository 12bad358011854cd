"""Stage 2 reads, changes, prints and exports people: each leaves an audit row, and
neither a searched name nor an IIN reaches the trail or a URL."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from enumeration import services
from enumeration.models import Certificate
from enumeration.progress_services import progress_refresh
from tests.enumeration.stage2 import ONLINE_DAY, TABLET_DAY, accepted_list, enumerate_online, people
from tests.factories import api_token_key

pytestmark = pytest.mark.django_db


def _events(user):
    """What the user did after signing in (the test's data, made through the services
    before, is on the trail too)."""
    events = AuditEvent.objects.filter(actor=user).order_by("pk")
    login = events.filter(action=AuditAction.LOGIN).last()
    return events.filter(pk__gt=login.pk) if login else events


@pytest.fixture
def list_a(officer_a):
    respondent_list = accepted_list(officer_a.institution)
    people(respondent_list, 1, surname="Әлиева", given_name="Гүлнар")
    people(respondent_list, 2, surname="Петров")
    # Rows made by factories bypass the services, so recount the list's progress counters.
    progress_refresh(respondent_list_ids=[respondent_list.pk])
    return respondent_list


def test_opening_the_worklist_records_a_view_with_the_count(client_for, officer_a, list_a):
    response = client_for(officer_a).get(reverse("enumeration:worklist"))
    assert response.status_code == 200
    event = _events(officer_a).get()
    assert event.action == AuditAction.VIEW
    assert event.object_type == "respondents.respondent"
    assert event.record_count == 3
    assert event.institution == officer_a.institution
    assert event.route == "enumeration:worklist"


def test_worklist_search_is_posted_and_records_filter_names_only(client_for, officer_a, list_a):
    person = list_a.respondents.get(surname="Әлиева")
    client = client_for(officer_a)
    url = reverse("enumeration:worklist")
    for text in ("Әлиева", person.iin):
        response = client.post(url, {"action": "search", "q": text})
        assert response.status_code == 302
        assert text not in response["Location"]
        page = client.get(response["Location"], {"status": "pending"})
        assert [row.pk for row in page.context["page"]] == [person.pk]
    # Someone typing a name into the address bar gets it dropped from page links.
    page = client.get(url, {"q": "Әлиева", "status": "pending"})
    assert "Әлиева" not in page.context["filter_params"]
    searches = _events(officer_a).filter(action=AuditAction.SEARCH)
    assert [event.extra for event in searches] == [{"filters": ["query", "status"]}] * 3
    assert [event.record_count for event in searches] == [1, 1, 1]
    trail = str(list(AuditEvent.objects.values()))
    assert "Әлиева" not in trail
    assert "әлиева" not in trail
    assert person.iin not in trail


def test_updating_a_person_records_the_view_and_the_change(client_for, officer_a, list_a):
    person = list_a.respondents.get(surname="Әлиева")
    client = client_for(officer_a)
    url = reverse("enumeration:enumeration_edit", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"status": "enumerated", "method": "tablet", "enumerated_on": TABLET_DAY.isoformat()}
    )
    assert response.status_code == 302
    events = list(_events(officer_a))
    assert [event.action for event in events] == [AuditAction.VIEW, AuditAction.CHANGE]
    for event in events:
        assert event.object_type == "respondents.respondent"
        assert event.object_id == str(person.pk)
        assert event.institution == officer_a.institution
    assert events[1].extra == {"record": "enumeration"}


def test_bulk_update_records_one_change_naming_the_people_by_id(client_for, officer_a, list_a):
    ids = sorted(list_a.respondents.values_list("pk", flat=True))
    response = client_for(officer_a).post(
        reverse("enumeration:worklist"),
        {
            "selected": ids,
            "status": "enumerated",
            "method": "tablet",
            "enumerated_on": TABLET_DAY.isoformat(),
        },
    )
    assert response.status_code == 302
    event = _events(officer_a).get(action=AuditAction.CHANGE)
    assert event.record_count == 3
    assert event.extra == {"record": "enumeration", "respondent_ids": ids}
    assert event.institution == officer_a.institution


def test_batch_api_records_one_change_with_the_count(client, api_client_a, list_a):
    key = api_token_key(api_client_a)
    persons = list(list_a.respondents.order_by("pk"))
    response = client.post(
        "/api/v1/enumerations/batch/",
        {
            "updates": [
                {
                    "respondent_id": p.pk,
                    "status": "enumerated",
                    "method": "online_self",
                    "enumerated_on": ONLINE_DAY.isoformat(),
                }
                for p in persons
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    event = _events(api_client_a).get()
    assert event.action == AuditAction.CHANGE
    assert event.record_count == 3
    assert event.via_token
    assert event.route == "enumeration-batch"
    assert event.institution == api_client_a.institution


def test_issuing_and_printing_a_certificate_are_recorded_with_reprints(
    client_for, officer_a, list_a
):
    person = list_a.respondents.get(surname="Әлиева")
    enumerate_online(officer_a, person)
    client = client_for(officer_a)
    client.post(reverse("enumeration:certificate_issue", args=[person.pk]))
    certificate = Certificate.objects.get(respondent=person)
    url = reverse("enumeration:certificate_pdf", args=[certificate.pk])
    # The Russian print is a translation, not a duplicate; the second Russian one is.
    for language in ("kk", "ru", "ru"):
        assert client.post(url, {"language": language}).status_code == 200
    events = list(_events(officer_a))
    assert [event.action for event in events] == [
        AuditAction.CREATE,
        AuditAction.PRINT,
        AuditAction.PRINT,
        AuditAction.PRINT,
    ]
    for event in events:
        assert event.object_type == "enumeration.certificate"
        assert event.object_id == str(certificate.pk)
        assert event.institution == officer_a.institution
    assert [event.extra for event in events[1:]] == [
        {"language": "kk", "duplicate": False},
        {"language": "ru", "duplicate": False},
        {"language": "ru", "duplicate": True},
    ]


def test_register_view_and_export_record_how_many_certificates(
    client_for, department_user, officer_a, list_a
):
    for person in list_a.respondents.all():
        enumerate_online(officer_a, person)
        services.certificate_issue(actor=officer_a, respondent=person)
    client = client_for(department_user)
    url = reverse("enumeration:certificates")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    events = list(_events(department_user))
    assert [(e.action, e.object_type, e.record_count) for e in events] == [
        (AuditAction.VIEW, "enumeration.certificate", 3),
        (AuditAction.EXPORT, "enumeration.certificate", 3),
    ]
    assert events[1].extra == {"format": "xlsx"}


def test_progress_export_and_reconciliation_are_recorded(
    client_for, department_user, officer_a, list_a
):
    client = client_for(department_user)
    assert client.post(reverse("enumeration:progress_export")).status_code == 200
    assert client.get(reverse("enumeration:reconciliation")).status_code == 200
    export, view = _events(department_user)
    assert export.action == AuditAction.EXPORT
    assert export.extra == {"report": "progress", "listed": 3}
    assert export.record_count >= 1
    assert view.action == AuditAction.VIEW
    assert view.record_count == 3
    assert view.extra == {"report": "reconciliation", "section": "outstanding", "names": True}


def test_commission_gets_reconciliation_counts_but_no_names_nor_register(
    client_for, commission_user, list_a
):
    client = client_for(commission_user)
    page = client.get(reverse("enumeration:reconciliation"))
    assert page.status_code == 200
    assert page.context["counts"]["outstanding"] == 3
    html = page.content.decode()
    assert "Әлиева" not in html
    assert "Петров" not in html
    assert client.get(reverse("enumeration:certificates")).status_code == 403
    assert client.post(reverse("enumeration:certificates")).status_code == 403
    batch = client.post(
        "/api/v1/enumerations/batch/", {"updates": []}, content_type="application/json"
    )
    assert batch.status_code == 403
