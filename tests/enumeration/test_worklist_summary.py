"""The worklist's summary (listed, enumerated, pending, not enumerated) reads the list's
counters, as the dashboard does, and shows what a fresh count of the rows would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from enumeration import progress
from enumeration import services as enumeration
from enumeration.progress_services import progress_refresh
from enumeration.selectors import listed_respondents
from institutions.selectors import campaign_get_active
from tests.enumeration.stage2 import accepted_list, enumerate_online, people

pytestmark = pytest.mark.django_db

DURING_CENSUS = dt.datetime(2021, 9, 20, 6, tzinfo=dt.UTC)  # the online window is open


def _summary(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))


@pytest.mark.parametrize(
    ("count", "enumerated", "not_enumerated"), [(0, 0, 0), (1, 1, 0), (2, 1, 1), (5, 3, 1)]
)
def test_the_summary_counts_the_people_listed_and_their_outcomes(
    count,
    enumerated,
    not_enumerated,
    client_en,
    officer_a,
    department_user,
    institution_a,
    institution_b,
):
    with time_machine.travel(DURING_CENSUS, tick=False):
        own, other = accepted_list(institution_a), accepted_list(institution_b)
        listed = people(own, count)
        people(other, 3)  # another institution's people count on its own worklist only
        progress_refresh(respondent_list_ids=[own.pk, other.pk])
        for person in listed[:enumerated]:
            enumerate_online(department_user, person)
        if count >= 2:
            enumeration.enumeration_record(
                actor=department_user,
                update=enumeration.EnumerationUpdate(
                    respondent_id=listed[-1].pk,
                    status="not_enumerated",
                    reason="refused",
                    enumerated_on=DURING_CENSUS.date(),
                ),
            )
        page = client_en(officer_a).get(reverse("enumeration:worklist")).content.decode()

    shown = _summary(page)
    assert shown["Listed"] == str(count)
    assert shown["Enumerated"].split(" ")[0] == str(enumerated)
    assert shown["Not enumerated"] == str(not_enumerated)
    assert shown["Pending"] == str(count - enumerated - not_enumerated)
    # The same as a fresh count of the rows.
    fresh = progress.counts_by_institution(
        listed_respondents(user=department_user, campaign=campaign_get_active()).filter(
            respondent_list=own
        )
    ).get(institution_a.pk, progress.Progress())
    assert (fresh.listed, fresh.enumerated, fresh.not_enumerated) == (
        count,
        enumerated,
        not_enumerated,
    )
