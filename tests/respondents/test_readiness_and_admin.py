import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import Campaign, Institution
from institutions.readiness import readiness_items
from respondents import services
from tests.factories import OfficerFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def test_readiness_items_in_one_query(
    django_assert_num_queries, institution_a, institution_b, officer_a, department_user
):
    respondent_list = RespondentListFactory(institution=institution_a)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    items = {item.code: item for item in readiness_items()}
    institutions = Institution.objects.filter(pk__in=[institution_a.pk, institution_b.pk])
    campaign = Campaign.objects.get(is_active=True)
    with django_assert_num_queries(2):  # the done flags, then the details
        submitted = items["list_submitted"].compute(institutions, campaign)
    assert submitted[institution_a.pk].done
    assert not submitted[institution_b.pk].done
    assert not items["list_accepted"].compute(institutions, campaign)[institution_a.pk].done
    services.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
    assert items["list_accepted"].compute(institutions, campaign)[institution_a.pk].done


def test_admin_is_scoped_and_searches_kazakh(client_for, department_user, institution_b):
    row = RespondentFactory(
        respondent_list=RespondentListFactory(institution=institution_b), surname="Құлмағамбетова"
    )
    client = client_for(department_user)
    response = client.post(
        reverse("admin:respondents_respondent_changelist"),
        {"q": "ҚҰЛМАҒ", "_search": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [row]
    assert client.get(reverse("admin:respondents_respondentlist_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:respondents_duplicateiinconflict_changelist")).status_code == 200
    )
    assert client.get(reverse("admin:respondents_respondent_add")).status_code == 403


@time_machine.travel(dt.datetime(2021, 7, 15, 12, tzinfo=dt.UTC))
def test_amendment_changelist_queries_do_not_grow_with_rows(client_for, department_user):
    def departure_on_a_new_list() -> None:
        officer = OfficerFactory()
        respondent_list = RespondentListFactory(institution=officer.institution)
        row = services.respondent_create(
            actor=officer, respondent_list=respondent_list, data=row_data()
        )
        services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
        services.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
        services.respondent_record_departure(
            actor=officer, respondent=row, departed_on=dt.date(2021, 7, 1), reason="died"
        )

    client = client_for(department_user)
    url = reverse("admin:respondents_amendment_changelist")
    departure_on_a_new_list()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        departure_on_a_new_list()
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)


def test_conflict_admin_shows_a_regional_user_conflicts_on_either_side(client_for):
    """A conflict between another region's institution (side A) and one of ours (side B) is
    on the regional department's queue page, so it must be in their admin too."""
    from institutions.models import District, Region
    from institutions.selectors import campaign_get_active
    from respondents.models import DuplicateIinConflict
    from tests.factories import DepartmentUserFactory, InstitutionFactory

    akmola = Region.objects.get(code="akmola")
    other_region = Region.objects.create(
        code="test-region", name_kk="Сынақ облысы", name_ru="Тестовая", name_en="Test region"
    )
    other_district = District.objects.create(
        region=other_region, code="test-district", name_kk="С", name_ru="Т", name_en="T"
    )
    theirs = InstitutionFactory(district=other_district)
    ours = InstitutionFactory()
    conflict = DuplicateIinConflict.objects.create(
        campaign=campaign_get_active(), iin="900101300012", institution_a=theirs, institution_b=ours
    )
    regional = DepartmentUserFactory(region=akmola)
    response = client_for(regional).get(
        reverse("admin:respondents_duplicateiinconflict_changelist")
    )
    assert list(response.context["cl"].result_list) == [conflict]
