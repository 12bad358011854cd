"""The lists board and the duplicate-IIN queue are narrowed by their FilterSets
(``respondents.filters``); a regional department sees only its region whatever the filter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from institutions.models import District, Region
from respondents import services
from respondents.choices import ListStatus
from respondents.models import DuplicateIinConflict
from tests.factories import DepartmentUserFactory, InstitutionFactory
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def _elsewhere_department():
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    District.objects.create(region=elsewhere, code="far", name_kk="Алыс", name_ru="Дальний")
    return DepartmentUserFactory(region=elsewhere)


def test_lists_board_status_filter_narrows_the_institutions_shown(client_for, department_user):
    drafting = InstitutionFactory(name_kk="Жоба мекемесі")
    accepted = InstitutionFactory(name_kk="Қабылданған мекеме")
    idle = InstitutionFactory(name_kk="Бос мекеме")
    RespondentListFactory(institution=drafting)
    RespondentListFactory(institution=accepted, status=ListStatus.ACCEPTED)
    client = client_for(department_user)
    url = reverse("respondents:board")

    def shown(params):
        html = client.get(url, params).content.decode()
        return {i.name_kk for i in (drafting, accepted, idle) if i.name_kk in html}

    assert shown({}) == {"Жоба мекемесі", "Қабылданған мекеме", "Бос мекеме"}
    assert shown({"status": "accepted"}) == {"Қабылданған мекеме"}
    assert shown({"status": "none"}) == {"Бос мекеме"}
    assert shown({"status": "lost"}) == shown({})  # an unknown value is ignored
    # The summary still counts every institution, whatever the filter.
    totals = client.get(url, {"status": "accepted"}).context["totals"]
    assert totals["accepted"] >= 1
    assert totals["draft"] >= 1


def test_lists_board_rows_show_each_lists_status_and_a_box_for_a_submitted_one(
    client_for, department_user
):
    submitted = RespondentListFactory(
        institution=InstitutionFactory(name_kk="Жіберілген мекеме"), status=ListStatus.SUBMITTED
    )
    InstitutionFactory(name_kk="Бос мекеме")
    html = client_for(department_user).get(reverse("respondents:board")).content.decode()
    row = next(row for row in html.split("<tr") if "Жіберілген мекеме" in row)
    assert f'value="{submitted.pk}" id="list-{submitted.pk}"' in row
    assert f'href="{reverse("respondents:list_detail", args=[submitted.pk])}"' in row
    assert '<span class="badge badge-warn">Жіберілді</span>' in row
    idle = next(row for row in html.split("<tr") if "Бос мекеме" in row)
    assert '<span class="badge">Басталмаған</span>' in idle
    assert 'name="selected"' not in idle


def test_lists_board_filter_stays_inside_the_region_and_refuses_officers(
    client_for, officer_a, institution_a
):
    RespondentListFactory(institution=institution_a)
    outsider = client_for(_elsewhere_department())
    for params in ({}, {"status": "draft"}, {"status": "none"}):
        response = outsider.get(reverse("respondents:board"), params)
        assert response.status_code == 200
        assert institution_a.name_kk not in response.content.decode()
    assert client_for(officer_a).get(reverse("respondents:board")).status_code == 403


def _conflict(officer_a, officer_b, department_user, *, resolved):
    shared = row_data()
    for officer in (officer_a, officer_b):
        respondent_list = RespondentListFactory(institution=officer.institution)
        services.respondent_create(actor=officer, respondent_list=respondent_list, data=shared)
        services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
    conflict = DuplicateIinConflict.objects.get()
    if resolved:
        services.conflict_resolve(
            actor=department_user, conflict=conflict, decision="belongs_to_a", note="Тексерілді"
        )
    return conflict


def test_conflict_queue_shows_resolved_conflicts_only_when_asked(
    client_for, department_user, officer_a, officer_b
):
    conflict = _conflict(officer_a, officer_b, department_user, resolved=True)
    client = client_for(department_user)
    url = reverse("respondents:conflicts")
    assert conflict.iin not in client.get(url).content.decode()  # open ones only
    shown = client.get(url, {"show": "all"}).content.decode()
    assert conflict.iin in shown
    assert "Тексерілді" in shown
    assert conflict.iin not in client.get(url, {"show": "everything"}).content.decode()


def test_conflict_queue_filter_stays_inside_the_region_and_refuses_officers(
    client_for, department_user, officer_a, officer_b
):
    conflict = _conflict(officer_a, officer_b, department_user, resolved=False)
    url = reverse("respondents:conflicts")
    assert conflict.iin in client_for(department_user).get(url).content.decode()
    outsider = client_for(_elsewhere_department())
    for params in ({}, {"show": "all"}):
        response = outsider.get(url, params)
        assert response.status_code == 200
        assert conflict.iin not in response.content.decode()
    assert client_for(officer_a).get(url, {"show": "all"}).status_code == 403


def test_lists_board_summary_counts_each_status_once_within_the_scope(client_for, department_user):
    from institutions.models import Campaign

    for status in (ListStatus.DRAFT, ListStatus.SUBMITTED, ListStatus.ACCEPTED):
        RespondentListFactory(institution=InstitutionFactory(), status=status)
    RespondentListFactory(institution=InstitutionFactory(), status=ListStatus.ACCEPTED)
    InstitutionFactory()  # no list yet
    RespondentListFactory(institution=InstitutionFactory(is_active=False))  # not on the board
    # A list of another campaign is not this campaign's list.
    current = Campaign.objects.get(is_active=True)
    other = Campaign.objects.create(
        code="census-2009",
        name_en="2009",
        list_reference_date=dt.date(2009, 2, 1),
        list_submission_deadline=dt.date(2009, 2, 10),
        critical_moment=current.critical_moment.replace(year=2009),
        online_start=dt.date(2009, 2, 25),
        online_end=dt.date(2009, 3, 6),
        tablet_start=dt.date(2009, 2, 25),
        tablet_end=dt.date(2009, 3, 6),
        kit_return_deadline=dt.date(2009, 4, 1),
    )
    RespondentListFactory(institution=InstitutionFactory(), campaign=other)
    far = _elsewhere_department()
    RespondentListFactory(
        institution=InstitutionFactory(district=District.objects.get(code="far")),
        status=ListStatus.ACCEPTED,
    )

    # The republic's Department sees both regions, the other region's Department its own.
    totals = client_for(department_user).get(reverse("respondents:board")).context["totals"]
    assert (totals["draft"], totals["submitted"], totals["accepted"]) == (1, 1, 3)
    assert totals["returned"] == 0
    assert totals["none"] == 2  # the institution without a list, and the other campaign's
    far_totals = client_for(far).get(reverse("respondents:board")).context["totals"]
    assert far_totals["accepted"] == 1
    assert sum(far_totals.values()) == 1
