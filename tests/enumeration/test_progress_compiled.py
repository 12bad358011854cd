"""The dashboard's and the reconciliation's grouped queries, compiled once per campaign
(``progress.WithinInstitutions``): the numbers follow the data, each user sees only their
scope whatever the order of requests, and the reconciliation's rows as the page prints them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from enumeration import progress
from enumeration.progress_services import progress_rebuild
from institutions.models import District, Region
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import DepartmentUserFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOBODY = "Nobody in this section."  # the page's words (a variable: not a catalogue entry)
ROW = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>")


def _elsewhere():
    """An institution of another region, with one person listed and enumerated."""
    region = Region.objects.create(code="other", name_kk="Басқа", name_ru="Другая")
    district = District.objects.create(region=region, code="other-d", name_kk="Ауд", name_ru="Р")
    institution = InstitutionFactory(district=district)
    return region, institution


def _campaign(institution):
    return institution.respondent_lists.get().campaign


def test_figures_follow_the_counters_for_0_1_and_2(department_user, institution_a):
    listed = people(accepted_list(institution_a), 3)
    campaign = _campaign(institution_a)
    progress_rebuild(campaign=campaign)  # the people above were added behind the services
    for enumerated in (0, 1, 2):
        if enumerated:
            enumerate_online(department_user, listed[enumerated - 1])
        report = progress.progress_report(user=department_user, campaign=campaign)
        daily = progress.progress_daily(user=department_user, campaign=campaign)
        by_list = progress.reconciliation_by_list(user=department_user, campaign=campaign)
        assert (report.total.listed, report.total.enumerated) == (3, enumerated)
        assert [row.progress.enumerated for row in report.rows] == [enumerated]
        assert sum(day.total for day in daily) == enumerated
        assert progress.reconciliation_counts(by_list=by_list)["outstanding"] == 3 - enumerated


def test_each_region_sees_only_its_own_in_any_order(department_user, institution_a):
    people(accepted_list(institution_a), 2)
    region, other = _elsewhere()
    (arrived,) = people(accepted_list(other), 1)
    campaign = _campaign(institution_a)
    progress_rebuild(campaign=campaign)
    enumerate_online(department_user, arrived)
    home = DepartmentUserFactory(username="home_dept", region=institution_a.district.region)
    away = DepartmentUserFactory(username="away_dept", region=region)
    nobody = UserFactory(username="no_role")  # no role: nothing at all
    expected = {
        home: (2, 0, 2),
        away: (1, 1, 0),
        department_user: (3, 1, 2),  # every region
        nobody: (0, 0, 0),
    }
    for user in (home, away, department_user, nobody, away, home):
        report = progress.progress_report(user=user, campaign=campaign)
        daily = progress.progress_daily(user=user, campaign=campaign)
        counts = progress.reconciliation_counts(
            by_list=progress.reconciliation_by_list(user=user, campaign=campaign)
        )
        figures = (report.total.listed, sum(day.total for day in daily), counts["outstanding"])
        assert figures == expected[user], user
    districts = progress.progress_report(user=home, campaign=campaign, region_id=region.pk)
    assert (districts.total.listed, districts.rows) == (0, [])  # another region's: nothing


def test_a_campaign_of_its_own(department_user, institution_a, institution_b):
    people(accepted_list(institution_a), 2)
    campaign = _campaign(institution_a)
    progress_rebuild(campaign=campaign)
    assert progress.progress_report(user=department_user, campaign=campaign).total.listed == 2
    other = type(campaign).objects.get(pk=campaign.pk)
    other.pk, other.code, other.is_active = None, "other-campaign", False
    other.save()
    assert progress.progress_report(user=department_user, campaign=other).total.listed == 0
    assert progress.progress_daily(user=department_user, campaign=other) == []


def _rows(client, **params):
    body = client.get(reverse("enumeration:reconciliation"), params).content.decode()
    return body, ROW.findall(body)


def test_reconciliation_rows_for_0_1_and_2_people(client_for, department_user, institution_a):
    client = client_for(department_user)
    body, rows = _rows(client)
    with translation.override("kk"):
        assert translation.gettext(NOBODY) in body
    assert rows == []
    a_list = accepted_list(institution_a)
    (first,) = people(a_list, 1, surname="Әлиев", given_name="Бек", birth_date=dt.date(1990, 1, 2))
    progress_rebuild(campaign=a_list.campaign)
    _body, rows = _rows(client)
    assert rows == [(institution_a.name_kk, first.full_name, "02.01.1990", "")]
    people(a_list, 1, surname="Ясин", given_name="<b>", arrived_on=dt.date(2021, 7, 15))
    progress_rebuild(campaign=a_list.campaign)
    body, rows = _rows(client)
    by_name = {row[1]: row for row in rows}
    assert set(by_name) == {first.full_name, "Ясин &lt;b&gt;"}  # escaped
    assert by_name["Ясин &lt;b&gt;"][3] == "15.07.2021"
    assert by_name[first.full_name][3] == ""
    assert body.count('<span class="badge badge-warn">') == 2  # both pending
    department_user.language = "ru"  # the user's own language wins
    department_user.save()
    _body, rows = _rows(client, section="outstanding")
    assert {row[0] for row in rows} == {institution_a.name_ru}
