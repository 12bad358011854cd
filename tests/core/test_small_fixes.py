"""Small things users saw: a doubled word, navigation that lit nothing, no favicon, a typo,
and "critical moment" written several ways."""

from __future__ import annotations

import datetime as dt
import re

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from respondents import services
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def submitted_list(officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(
        actor=officer_a,
        respondent_list=respondent_list,
        data=row_data(birth_date=dt.date(1950, 1, 1)),
    )
    return services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)


def test_review_page_says_submitted_once(client_for, department_user, submitted_list):
    client = client_for(_speaking(department_user, "ru"))
    page = client.get(reverse("respondents:review", args=[submitted_list.pk])).content.decode()
    text = _text(page)
    assert "Отправлен" in text
    assert not re.search(r"Отправлен\s+отправлен", text, re.IGNORECASE)
    assert f"{submitted_list.submitted_at.astimezone():%d.%m.%Y}" in text


def _current_nav(page: str) -> list[str]:
    nav = page[page.index('<nav class="main-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return [
        _text(label).strip()
        for label in re.findall(r'aria-current="page">(.*?)</a>', nav, re.DOTALL)
    ]


DEPARTMENT_PAGES = [
    ("institutions:department_home", {}, "Overview"),
    ("respondents:board", {}, "Lists board"),
    ("respondents:conflicts", {}, "Duplicate IINs"),
    ("enumeration:progress", {}, "Enumeration progress"),
    ("enumeration:reconciliation", {}, "Enumeration progress"),
    ("enumeration:certificates", {}, "Certificates"),
    ("equipment:overview", {}, "Tablet kits"),
    ("equipment:kit_list", {}, "Tablet kits"),
    ("equipment:overdue", {}, "Tablet kits"),
    ("equipment:act_list", {}, "Acts"),
    ("sync:board", {}, "Tablet sync"),
    ("sync:usb_offloads", {}, "USB offloads"),
    ("reminders:notifications", {}, "Notifications"),
]
OFFICER_PAGES = [
    ("institutions:officer_home", {}, "My institution"),
    ("enumeration:worklist", {}, "Enumeration"),
    ("enumeration:progress", {}, "Progress"),
    ("enumeration:certificates", {}, "Certificates"),
    ("equipment:overview", {}, "Tablets and acts"),
    ("sync:board", {}, "Tablet sync"),
    ("reminders:notifications", {}, "Notifications"),
]


@pytest.mark.parametrize(("name", "kwargs", "label"), DEPARTMENT_PAGES)
def test_one_navigation_link_lights_on_every_department_page(
    client_for, department_user, name, kwargs, label
):
    client = client_for(_speaking(department_user, "en"))
    page = client.get(reverse(name, kwargs=kwargs)).content.decode()
    assert _current_nav(page) == [label]


@pytest.mark.parametrize(("name", "kwargs", "label"), OFFICER_PAGES)
def test_one_navigation_link_lights_on_every_officer_page(
    client_for, officer_a, name, kwargs, label
):
    client = client_for(_speaking(officer_a, "en"))
    page = client.get(reverse(name, kwargs=kwargs)).content.decode()
    assert _current_nav(page) == [label]


def test_officers_list_page_lights_respondent_list(client_for, officer_a, submitted_list):
    client = client_for(_speaking(officer_a, "en"))
    page = client.get(reverse("respondents:list_detail", args=[submitted_list.pk]))
    assert _current_nav(page.content.decode()) == ["Respondent list"]


def test_sync_board_lights_tablet_sync_in_kazakh(client_for, department_user):
    page = client_for(_speaking(department_user, "kk")).get(reverse("sync:board"))
    assert _current_nav(page.content.decode()) == ["Планшет синхрондауы"]


def test_pages_carry_a_local_favicon(client_for, officer_a, client):
    page = client_for(officer_a).get(reverse("institutions:officer_home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert icon.endswith("favicon.svg")
    assert not icon.startswith(("http:", "https:", "//"))
    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_names_typo_is_gone_from_the_kazakh_reconciliation(client_for, commission_user):
    page = client_for(_speaking(commission_user, "kk")).get(reverse("enumeration:reconciliation"))
    text = page.content.decode()
    assert "Аты-жөндерді" in text
    assert "Атты-жөн" not in text


def test_critical_moment_is_one_term_in_each_language(client_for, department_user):
    page = client_for(_speaking(department_user, "kk")).get(reverse("institutions:department_home"))
    assert "Санақтың сындарлы сәті" in page.content.decode()
    terms = {"kk": "сындарлы сәт", "ru": "критическ"}
    for language, term in terms.items():
        catalogue = polib.pofile(
            settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
        )
        for entry in catalogue:
            if "critical moment" in entry.msgid.lower():
                assert term in entry.msgstr.lower(), (language, entry.msgid)
                assert "критикалық" not in entry.msgstr.lower(), (language, entry.msgid)
