"""The lists board and the duplicate-IIN queue are narrowed by their FilterSets
(``respondents.filters``); a regional department sees only its region whatever the filter."""

from __future__ import annotations

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
