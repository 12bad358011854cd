"""The Department finds a person through the search page, in Kazakh and in Russian.

The person exists before the journey (built through the services); the journey itself only
uses the browser: the navigation link, the form, the result. Steps are found by URL and
field names, not by text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from enumeration import services
from respondents.choices import ListStatus
from respondents.models import RespondentList
from tests.browser.helpers import Shots, login
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import InstitutionFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each journey runs in one language, kk and ru in turn: what a journey checks (the flow, the
# rows it leaves) is the same in both, and the screen checks (test_screens.py, test_layout.py,
# test_first_use.py, tests/core/test_no_raw_codes.py) read every page in both languages.

BORN = dt.date(1958, 11, 3)


@pytest.mark.parametrize("language", ["ru"])
def test_department_finds_a_person_by_name_and_birth_date_and_the_address_stays_clean(
    page, shots: Shots, language, department_user, officer_a, institution_a
):
    person = people(
        accepted_list(institution_a),
        1,
        surname="Сәрсенбаева",
        given_name="Ақмарал",
        birth_date=BORN,
    )[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)

    login(page, department_user, language, shots)
    search_url = reverse("enumeration:person_search")
    page.click(f"nav a[href='{search_url}']")
    page.wait_for_url(f"**{search_url}")
    # Typed as people type: capitals, the given name's first letters only.
    page.fill("input[name=surname]", "СӘРСЕНБАЕВА")
    page.fill("input[name=given_name]", "ақм")
    page.fill("input[name=birth_date]", BORN.isoformat())
    shots(page, "search-form")
    page.click("button[name=search]")
    page.wait_for_selector("table.person-results")
    shots(page, "search-result")

    table = page.inner_text("table.person-results")
    assert "Сәрсенбаева Ақмарал" in table
    assert "03.11.1958" in table
    assert certificate.display_number in table
    assert (institution_a.name_kk if language == "kk" else institution_a.name_ru) in table
    # The answer came on the same address, with no query string.
    assert page.url.endswith(search_url)
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, actor=department_user)
    assert event.record_count == 1
    assert "Сәрсенбаева" not in str(event.extra)


@pytest.mark.parametrize("language", ["kk"])
def test_department_selects_every_submitted_list_on_the_board_and_accepts_them_at_once(
    page, shots: Shots, language, department_user
):
    lists = [
        RespondentListFactory(
            institution=InstitutionFactory(name_kk=f"Мекеме {n}", name_ru=f"Учреждение {n}"),
            status=ListStatus.SUBMITTED,
        )
        for n in range(3)
    ]
    for respondent_list in lists:
        RespondentFactory(respondent_list=respondent_list)

    login(page, department_user, language, shots)
    page.goto(reverse("respondents:board") + "?status=submitted")
    page.check("input[data-select-all=selected]")  # shown by static/js/select_all.js
    assert page.locator("input[name=selected]:checked").count() == 3
    shots(page, "board-selected")
    page.click("button[name=decision][value=accept]")
    page.wait_for_selector("ul.messages")
    shots(page, "board-accepted")
    assert [RespondentList.objects.get(pk=item.pk).status for item in lists] == ["accepted"] * 3
    # Back on the board filtered by "submitted": nothing is left to select.
    assert page.locator("input[name=selected]").count() == 0
    page.goto(reverse("respondents:board"))
    accepted_label = {"kk": "Қабылданды", "ru": "Принят"}[language]
    for n in range(3):
        row = page.locator("tr", has_text={"kk": f"Мекеме {n}", "ru": f"Учреждение {n}"}[language])
        assert accepted_label in row.inner_text()
