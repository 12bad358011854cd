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
from tests.browser.helpers import LANGUAGES, Shots, login
from tests.enumeration.stage2 import accepted_list, enumerate_online, people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = dt.date(1958, 11, 3)


@pytest.mark.parametrize("language", LANGUAGES)
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
