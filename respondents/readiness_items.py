"""Checklist items of stage 1: the list was submitted, and the department accepted it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from institutions.models import Campaign, Institution
from institutions.readiness import (
    Describe,
    Done,
    ItemNote,
    ReadinessItem,
    institution_figures,
    shared_figures,
)
from respondents.choices import ListStatus
from respondents.models import RespondentList

SUBMITTED_OR_LATER = (ListStatus.SUBMITTED, ListStatus.ACCEPTED)


FIELDS = ("pk", "campaign_list__status", "campaign_list__size__rows")


def _list_figures(campaign: Campaign) -> QuerySet[Institution]:
    """Every institution with its list of ``campaign`` (``campaign_list``, if any)."""
    return Institution.objects.order_by().annotate(
        campaign_list=FilteredRelation(
            "respondent_lists", condition=Q(respondent_lists__campaign=campaign)
        )
    )


def _lists(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, tuple[str, int]]:
    """Every institution's list status ("" without a list) and number of people, in one query.

    The number is the list's ``ListSize`` counter, never a count of respondent rows, so the
    cost follows the institutions shown, not the people on their lists.
    """

    def read() -> dict[int, tuple[str, int]]:
        rows = institution_figures(institutions, campaign, "list_figures", _list_figures, FIELDS)
        return {pk: (status or "", count or 0) for pk, status, count in rows}

    # "Submitted" and "accepted" read the same figures: one query for both.
    return shared_figures(institutions, ("lists", campaign.pk), read)


def _people(count: int) -> str:
    return ngettext("%(count)d person", "%(count)d people", count) % {"count": count}


# What the officer is told while an item is open, by the list's status: the hint follows
# the list, so "correct and resubmit" goes away once the list is resubmitted.
SUBMIT_HINTS: dict[str, Promise] = {
    ListStatus.RETURNED: _(
        "The Department returned the list: correct it as its comment says and submit it again."
    ),
}
ACCEPT_HINTS: dict[str, Promise] = {
    ListStatus.SUBMITTED: _("The list is submitted; the Department is reviewing it."),
    ListStatus.RETURNED: _("The Department reviews the list again once you resubmit it."),
}


def _list_in(statuses: tuple[str, ...]) -> Done:
    """Done when the institution's list of the campaign has one of ``statuses``."""

    def done(campaign: Campaign) -> Q:
        lists = RespondentList.objects.filter(
            institution=OuterRef("pk"), campaign=campaign, status__in=statuses
        )
        return Q(Exists(lists))

    return done


def _list_note(hints: Mapping[str, Promise]) -> Describe:
    def describe(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
        people = cache(_people)  # translated once a page for each number
        return {
            pk: ItemNote(detail=people(count) if status else "", hint=hints.get(status, ""))
            for pk, (status, count) in _lists(institutions, campaign).items()
        }

    return describe


ITEMS = [
    ReadinessItem(
        code="list_submitted",
        label=_("Respondent list submitted"),
        next_step=_("Compile the list of respondents as of the reference date and submit it."),
        done=_list_in(SUBMITTED_OR_LATER),
        describe=_list_note(SUBMIT_HINTS),
        officer_page="respondents:my_list",
    ),
    ReadinessItem(
        code="list_accepted",
        label=_("Respondent list accepted"),
        next_step=_("The Department reviews the list once you submit it."),
        done=_list_in((ListStatus.ACCEPTED,)),
        describe=_list_note(ACCEPT_HINTS),
        officer_page="respondents:my_list",
        recorded_by_department=True,
    ),
]
