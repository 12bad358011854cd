"""Writes of the stage-2 progress counters (``ListProgress``, ``DailyProgress``).

**Why counters.** The dashboard used to aggregate every listed respondent joined to their
enumeration on each request: with a million people that is two seconds, forty times a bare
``count(*)``. It now reads one row per list and one per (list, day, method) instead.

**How they stay right.** Every service that changes what is counted calls
``progress_refresh`` for the lists it touched, inside its own transaction:

- ``respondent_list_accept`` (a list starts to count),
- ``respondent_add_arrival`` and ``respondent_record_departure`` (the listed set changes),
- ``enumeration_record_batch`` (outcomes; the worklist, bulk update, REST batch, sync and
  demo all go through it), and ``enumeration_record_bulk`` (a census-database export).

The same rows carry the reconciliation report's two rare sections (``arrivals``,
``not_listed``: ``reconciliation_filters``), recounted by the same statement: every write
that changes them (an outcome, an arrival, a departure, a list's acceptance, a moved
critical moment) is one of the above.

Certificates are not counted (issuing one needs an outcome already recorded and forbids
withdrawing it), and rows of draft or returned lists are not listed, so row edits and the
bulk import of draft lists need no refresh.

``progress_refresh`` does not add or subtract: it *recounts* the affected lists from the raw
rows, each table in one set-wise ``INSERT … SELECT`` built from the same ORM query as the
raw report (so the "listed" rule stays in ``enumeration.selectors.listed_q`` alone), after
deleting their old counters. Before recounting it locks the lists' rows in primary-key
order; two transactions touching the same list therefore recount one after the other, and
under READ COMMITTED the second recount is a new statement that sees the first one's
committed rows, so the last writer always leaves the true figures. A missed refresh (data
written behind the services' back, a changed critical moment) is repaired by
``manage.py progress_rebuild``, which recounts everything and can run at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Model, Q, QuerySet

from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from enumeration.models import DailyProgress, Enumeration, ListProgress
from enumeration.selectors import critical_date, listed_q
from institutions.models import Campaign
from respondents.choices import ListStatus
from respondents.models import ListSize, Respondent, RespondentList

KEYS = ("respondent_list_id", "institution_id", "campaign_id")


def counter_filters() -> dict[str, Q]:
    """``ListProgress`` column → which listed respondents it counts (lookups on Respondent)."""
    enumerated = Q(enumeration__status=EnumerationStatus.ENUMERATED)
    not_enumerated = Q(enumeration__status=EnumerationStatus.NOT_ENUMERATED)
    filters = {
        f"method_{method}": enumerated & Q(enumeration__method=method)
        for method in EnumerationMethod.values
    }
    filters.update(
        {
            f"reason_{reason}": not_enumerated & Q(enumeration__reason=reason)
            for reason in NonEnumerationReason.values
        }
    )
    return filters


def reconciliation_filters(campaign: Campaign) -> dict[str, Q]:
    """``ListProgress`` column → the reconciliation report's rare sections, as lookups on
    the campaign's respondents: enumerated arrivals still listed, and people enumerated
    who are no longer listed (``enumeration.progress.reconciliation_sections`` lists them)."""
    enumerated = Q(enumeration__status=EnumerationStatus.ENUMERATED)
    return {
        "arrivals": listed_q(campaign) & enumerated & Q(arrived_on__isnull=False),
        # Not ``listed_q``: the list is not accepted, or the person left before the
        # critical moment (``departed_on`` NULL never matches ``lt``).
        "not_listed": enumerated
        & (
            ~Q(respondent_list__status=ListStatus.ACCEPTED)
            | Q(departed_on__lt=critical_date(campaign))
        ),
    }


COLUMNS = ("listed", *counter_filters(), "arrivals", "not_listed")  # ListProgress's counters


def list_counts(campaign: Campaign, list_ids: Iterable[int] | None = None) -> QuerySet:
    """Counters of the campaign's lists (or of ``list_ids``) recounted from the raw rows.

    The columns come out in ``ListProgress`` order: the keys, then ``COLUMNS``. A list gets
    a row when anyone on it is listed or enumerated.
    """
    listed = listed_q(campaign)
    respondents = Respondent.objects.filter(respondent_list__campaign=campaign).filter(
        listed | Q(enumeration__status=EnumerationStatus.ENUMERATED)
    )
    if list_ids is not None:
        respondents = respondents.filter(respondent_list_id__in=list(list_ids))
    return (
        respondents.order_by()
        .values("respondent_list", "respondent_list__institution", "respondent_list__campaign")
        .annotate(
            listed=Count("pk", filter=listed),
            **{column: Count("pk", filter=listed & q) for column, q in counter_filters().items()},
            **{
                column: Count("pk", filter=q)
                for column, q in reconciliation_filters(campaign).items()
            },
        )
    )


def daily_counts(campaign: Campaign, list_ids: Iterable[int] | None = None) -> QuerySet:
    """People enumerated per list, day and method, recounted from the raw rows."""
    enumerations = Enumeration.objects.filter(
        listed_q(campaign, prefix="respondent__"),
        status=EnumerationStatus.ENUMERATED,
        enumerated_on__isnull=False,
    )
    if list_ids is not None:
        enumerations = enumerations.filter(respondent__respondent_list_id__in=list(list_ids))
    return (
        enumerations.order_by()
        .values(
            "respondent__respondent_list",
            "respondent__respondent_list__institution",
            "respondent__respondent_list__campaign",
            "enumerated_on",
            "method",
        )
        .annotate(enumerated=Count("pk"))
    )


def _insert_select(model: type[Model], columns: Iterable[str], counts: QuerySet) -> None:
    """``INSERT INTO model (columns) <counts>``: one statement, no rows through Python."""
    quote = connection.ops.quote_name
    sql, params = counts.query.sql_with_params()
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)  # type: ignore[union-attr,arg-type]  # concrete fields
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)


def _recount(campaign: Campaign, list_ids: list[int] | None) -> None:
    """Replace the counters of ``list_ids`` (every list of the campaign when None)."""
    scope: dict[str, Any] = (
        {"campaign": campaign} if list_ids is None else {"respondent_list_id__in": list_ids}
    )
    ListProgress.objects.filter(**scope).delete()
    DailyProgress.objects.filter(**scope).delete()
    _insert_select(ListProgress, (*KEYS, *COLUMNS), list_counts(campaign, list_ids))
    _insert_select(
        DailyProgress,
        (*KEYS, "day", "method", "enumerated"),
        daily_counts(campaign, list_ids),
    )


def progress_refresh(*, respondent_list_ids: Iterable[int]) -> None:
    """Recount the progress of these lists; call it inside the transaction that changed them.

    Locks the lists' rows (in primary-key order, so that two batches over the same lists
    cannot deadlock) before recounting; see the module docstring for why that suffices.
    """
    ids = sorted(set(respondent_list_ids))
    if not ids:
        return
    with transaction.atomic(savepoint=False):  # part of the caller's transaction
        locked = (
            RespondentList.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        campaigns: dict[int, Campaign] = {}
        by_campaign: dict[int, list[int]] = {}
        for respondent_list in locked:
            campaigns[respondent_list.campaign_id] = respondent_list.campaign
            by_campaign.setdefault(respondent_list.campaign_id, []).append(respondent_list.pk)
        for campaign_id, list_ids in by_campaign.items():
            _recount(campaigns[campaign_id], list_ids)


def _recount_sizes(campaign: Campaign) -> None:
    """Replace the ``ListSize`` counters of the campaign's lists (the triggers keep them;
    this repairs them after writes no trigger saw, such as a TRUNCATE)."""
    ListSize.objects.filter(respondent_list__campaign=campaign).delete()
    sizes = (
        Respondent.objects.filter(respondent_list__campaign=campaign)
        .order_by()
        .values("respondent_list")
        .annotate(rows=Count("pk"), current=Count("pk", filter=Q(departed_on__isnull=True)))
    )
    _insert_select(ListSize, ("respondent_list_id", "rows", "current"), sizes)


@transaction.atomic
def progress_rebuild(*, campaign: Campaign | None = None) -> int:
    """Recount the progress and the sizes of every list (of one campaign, or of all);
    idempotent.

    Locks all the lists concerned, so it can run while officers work. Returns the number
    of lists with anyone listed.
    """
    campaigns = [campaign] if campaign is not None else list(Campaign.objects.order_by("pk"))
    for each in campaigns:
        list(
            RespondentList.objects.select_for_update()
            .filter(campaign=each)
            .order_by("pk")
            .values_list("pk")
        )
        _recount(each, None)
        _recount_sizes(each)
    return ListProgress.objects.filter(campaign__in=[c.pk for c in campaigns], listed__gt=0).count()
