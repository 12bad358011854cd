"""The campaign purge reaches the census database's forms: names, IIN and the day of birth
go, the forms and their counts stay (the census DB's rows name people as the lists do)."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdb.models import CensusRecord
from institutions.models import Campaign
from respondents.purge_services import campaign_closes_on, campaign_personal_data_purge
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_purge_anonymises_matched_and_unlisted_forms_of_the_institution(
    department_user, institution_a, institution_b
):
    listing = accepted_list(institution_a)
    first, second = people(listing, 2)
    elsewhere = people(accepted_list(institution_b), 1)[0]
    unlisted = form("F-3", None, Surname="Тізімсізова", **{"Given name": "Әлия"})
    unlisted |= {"Birth date": "05.05.1990", "BIN": institution_a.bin}
    export = run_export(
        department_user, [form("F-1", first), form("F-2", second), unlisted, form("F-4", elsewhere)]
    )
    assert export.state == "done", export.message
    states = dict(CensusRecord.objects.values_list("form_number", "state"))

    campaign = listing.campaign
    Campaign.objects.filter(pk=campaign.pk).update(is_active=False)
    campaign.refresh_from_db()
    counts = campaign_personal_data_purge(
        actor=department_user,
        campaign=campaign,
        after_days=0,
        today=campaign_closes_on(campaign) + dt.timedelta(days=1),
    )

    assert counts["census_records"] == 4
    rows = CensusRecord.objects.order_by("form_number").values_list(
        "form_number", "iin", "surname", "given_name", "exact_key", "birth_date"
    )
    assert [row[:5] for row in rows] == [(f"F-{n}", "", "", "", "") for n in (1, 2, 3, 4)]
    assert {(born.month, born.day) for *_rest, born in rows} == {(1, 1)}
    # The forms, their states and the matches stay: the reconciliation's counts hold.
    assert dict(CensusRecord.objects.values_list("form_number", "state")) == states
    assert CensusRecord.objects.get(form_number="F-1").respondent == first
