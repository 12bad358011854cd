"""The officer's home page guides: the next step is theirs to take, each checklist item
leads to the page that does it, hints follow the list's state, and the card fits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from respondents import services
from tests.factories import ResponsibleStaffFactory
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def _home(client_for, officer, language="en") -> str:
    officer.language = language
    officer.save(update_fields=["language"])
    response = client_for(officer).get(reverse("institutions:officer_home"))
    assert response.status_code == 200
    return response.content.decode()


def _next_step(page: str) -> str:
    card = page[page.index('class="card next-step"') :]
    return re.sub(r"<[^>]+>", "", card[: card.index("</div>")])


def test_next_step_is_never_the_departments_seminar_record(client_for, officer_a):
    # Staff appointed but not trained nor provisioned: training is the Department's record,
    # so the officer is sent to provide premises and a computer.
    ResponsibleStaffFactory(institution=officer_a.institution)
    page = _home(client_for, officer_a)
    step = _next_step(page)
    assert "Premises and computer" in step
    assert "Staff trained" not in step
    assert "Recorded by the Department." in page  # still on the checklist, marked as such


def test_next_step_in_kazakh_links_to_where_it_is_done(client_for, officer_a):
    page = _home(client_for, officer_a, "kk")
    step_card = page[page.index('class="card next-step"') :]
    assert f'href="{reverse("institutions:officer_home")}#staff"' in step_card[:400]
    assert "Staff appointed" not in page  # translated
    assert "Қызметкерлер тағайындалды" in _next_step(page)


def test_every_checklist_item_links_to_its_page(client_for, officer_a):
    page = _home(client_for, officer_a)
    checklist = page[page.index('<ol class="checklist"') :]
    checklist = checklist[: checklist.index("</ol>")]
    links = re.findall(r'<strong><a href="([^"]+)">', checklist)
    assert len(links) == checklist.count("<li>")
    assert reverse("respondents:my_list") in links
    assert reverse("enumeration:worklist") in links
    assert reverse("equipment:overview") in links
    assert f"{reverse('institutions:officer_home')}#seminars" in links
    assert 'id="seminars"' in page
    assert 'id="staff"' in page


def test_correct_and_resubmit_goes_away_after_resubmission(client_for, officer_a, department_user):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(
        actor=officer_a,
        respondent_list=respondent_list,
        data=row_data(birth_date=dt.date(1950, 1, 1)),
    )
    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    services.respondent_list_return(
        actor=department_user, respondent_list=respondent_list, comment="Rooms"
    )
    returned = _home(client_for, officer_a)
    assert "correct it as its comment says and submit it again" in returned

    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    resubmitted = _home(client_for, officer_a)
    assert "submit it again" not in resubmitted
    assert "Correct the list" not in resubmitted
    assert "The list is submitted; the Department is reviewing it." in resubmitted


def test_officer_home_links_to_the_institutions_progress(client_for, officer_a):
    page = _home(client_for, officer_a, "ru")
    assert f'href="{reverse("enumeration:progress")}"' in page
    assert "Ход переписи в вашем учреждении" in page


def test_a_long_email_address_wraps_inside_its_card(client_for, officer_a):
    institution = officer_a.institution
    institution.email = "priemnaya.kommunalnogo.gosudarstvennogo.uchrezhdeniya@example.kz"
    institution.save(update_fields=["email"])
    page = _home(client_for, officer_a)
    assert institution.email in page
    with open(finders.find("css/app.css"), encoding="utf-8") as css:
        stylesheet = css.read()
    rule = re.search(r"\.facts dd \{([^}]*)\}", stylesheet).group(1)
    assert "overflow-wrap: anywhere" in rule
    assert "min-width: 0" in re.search(r"\.facts div \{([^}]*)\}", stylesheet).group(1)
