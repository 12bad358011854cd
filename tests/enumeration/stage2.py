"""Helpers of the stage-2 tests: accepted lists and people on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enumeration import services
from respondents.choices import ListStatus
from respondents.models import Respondent, RespondentList
from tests.respondents.factories import RespondentFactory, RespondentListFactory

ONLINE_DAY = dt.date(2021, 9, 20)
TABLET_DAY = dt.date(2021, 10, 5)


def accepted_list(institution: Any) -> RespondentList:
    return RespondentListFactory(institution=institution, status=ListStatus.ACCEPTED)


def people(respondent_list: RespondentList, count: int, **values: Any) -> list[Respondent]:
    return [RespondentFactory(respondent_list=respondent_list, **values) for _n in range(count)]


def enumerate_online(actor: Any, respondent: Respondent, day: dt.date = ONLINE_DAY) -> Any:
    return services.enumeration_record(
        actor=actor,
        update=services.EnumerationUpdate(
            respondent_id=respondent.pk,
            status="enumerated",
            method="online_self",
            enumerated_on=day,
        ),
    )
