"""A list's rows through the one FilterSet: the page and the API show the same people."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import api_client_key
from tests.respondents.factories import RespondentFactory, RespondentListFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def rows(institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    return {
        "list": respondent_list,
        "citizen": RespondentFactory(respondent_list=respondent_list, surname="Әлиев"),
        "foreign": RespondentFactory(
            respondent_list=respondent_list, surname="Бекова", citizenship="foreign", sex="female"
        ),
        "arrived": RespondentFactory(
            respondent_list=respondent_list, surname="Серіков", arrived_on=dt.date(2021, 9, 3)
        ),
        "departed": RespondentFactory(
            respondent_list=respondent_list,
            surname="Дәулетов",
            departed_on=dt.date(2021, 9, 5),
            departure_reason="left",
        ),
    }


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"citizen", "foreign", "arrived", "departed"}),
        ({"citizenship": "foreign"}, {"foreign"}),
        ({"presence": "current"}, {"citizen", "foreign", "arrived"}),
        ({"presence": "arrived"}, {"arrived"}),
        ({"presence": "departed"}, {"departed"}),
        ({"citizenship": "citizen", "presence": "departed"}, {"departed"}),
        # An unknown value (an old bookmark) shows everyone, not an error.
        (
            {"citizenship": "martian", "presence": "departed"},
            {"citizen", "foreign", "arrived", "departed"},
        ),
    ],
)
def test_list_page_shows_the_filtered_rows(client_for, officer_a, rows, params, shown):
    url = reverse("respondents:list_detail", args=[rows["list"].pk])
    page = client_for(officer_a).get(url, params)
    assert page.context["page"].paginator.count == len(shown)
    html = page.content.decode()
    for name in ("citizen", "foreign", "arrived", "departed"):
        assert (rows[name].surname in html) == (name in shown), name


def test_api_rows_filter_like_the_page_and_refuse_unknown_values(client, officer_a, rows):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=officer_a.institution)}"}
    base = f"{API}/respondent-lists/{rows['list'].pk}/respondents/"

    def ids(params):
        return {r["id"] for r in client.get(base, params, **auth).json()["results"]}

    assert ids({"presence": "departed"}) == {rows["departed"].pk}
    assert ids({"sex": "female"}) == {rows["foreign"].pk}
    assert ids({"citizenship": "citizen", "presence": "current"}) == {
        rows["citizen"].pk,
        rows["arrived"].pk,
    }
    refused = client.get(base, {"presence": "gone"}, **auth)
    assert refused.status_code == 400
    assert [item["field"] for item in refused.json()["errors"]] == ["presence"]


def test_api_lists_filter_by_status_and_campaign(client, officer_a, rows):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=officer_a.institution)}"}
    code = rows["list"].campaign.code

    def ids(params):
        return [
            r["id"]
            for r in client.get(f"{API}/respondent-lists/", params, **auth).json()["results"]
        ]

    assert ids({"status": "draft", "campaign": code}) == [rows["list"].pk]
    assert ids({"status": "accepted"}) == []
    assert ids({"campaign": "nope"}) == []
    assert client.get(f"{API}/respondent-lists/", {"status": "lost"}, **auth).status_code == 400
