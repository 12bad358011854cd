import pytest
from django.urls import reverse

from institutions.models import Campaign, Institution
from institutions.readiness import readiness_items
from respondents import services
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
    with django_assert_num_queries(1):
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
    response = client.get(reverse("admin:respondents_respondent_changelist"), {"q": "ҚҰЛМАҒ"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [row]
    assert client.get(reverse("admin:respondents_respondentlist_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:respondents_duplicateiinconflict_changelist")).status_code == 200
    )
    assert client.get(reverse("admin:respondents_respondent_add")).status_code == 403
