"""Reads of respondent lists, always narrowed to what the acting user may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord.db import RowsByPk
from institutions.models import Campaign, Institution
from institutions.models.institution import institution_name
from institutions.readiness import per_campaign
from institutions.selectors import institution_list
from respondents.choices import Citizenship, ListStatus, ResidenceStatus
from respondents.models import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
    SignedListScan,
)

LIST_PATH = "respondent_list__institution"


def respondent_list_list(
    *, user: Actor, campaign: Campaign | None = None
) -> QuerySet[RespondentList]:
    lists = RespondentList.objects.select_related("institution", "campaign")
    if campaign is not None:
        lists = lists.filter(campaign=campaign)
    return scope_queryset(lists, user=user)


def respondent_list_get(*, user: Actor, pk: int) -> RespondentList:
    """One list the user may see; 404 otherwise, so another institution's list stays unknown."""
    try:
        return respondent_list_list(user=user).get(pk=pk)
    except RespondentList.DoesNotExist as exc:
        raise Http404 from exc


def respondent_list_of_institution(
    *, user: Actor, institution_id: int, campaign: Campaign
) -> RespondentList | None:
    return (
        respondent_list_list(user=user, campaign=campaign)
        .filter(institution_id=institution_id)
        .first()
    )


# Who did something, as a list's page names them (``get_full_name``, else the username):
# a user's other columns (the password hash among them) are not read with the list's history,
# amendments and signed scans.
_NAMED_BY = ("first_name", "last_name", "username")
# A related manager's rows point back to the list they were read from: without its column
# loaded, each row would read it again.
_OF_THE_LIST = ("respondent_list",)


def respondent_list_history(*, respondent_list: RespondentList) -> QuerySet[ListTransition]:
    """Status changes of a list the caller already obtained through ``respondent_list_get``,
    with who made them."""
    return respondent_list.transitions.select_related("actor").only(
        *_OF_THE_LIST,
        "at",
        "from_status",
        "to_status",
        "comment",
        "actor",
        *(f"actor__{f}" for f in _NAMED_BY),
    )


def respondent_list_amendments(
    *, respondent_list: RespondentList, limit: int = 50
) -> list[Amendment]:
    """The latest ``limit`` amendments of a list the caller already obtained through
    ``respondent_list_get``: the person's name and who recorded it."""
    return list(
        respondent_list.amendments.select_related("respondent", "actor").only(
            *_OF_THE_LIST,
            "kind",
            "effective_on",
            "reason",
            "comment",
            "respondent",
            "respondent__surname",
            "respondent__given_name",
            "respondent__patronymic",
            "actor",
            *(f"actor__{f}" for f in _NAMED_BY),
        )[:limit]
    )


def respondent_list_latest_scan(*, respondent_list: RespondentList) -> SignedListScan | None:
    """The latest signed scan of a list the caller already obtained through
    ``respondent_list_get``, with who uploaded it (its file is not read here)."""
    return (
        respondent_list.signed_scans.select_related("uploaded_by")
        .only(
            *_OF_THE_LIST, "uploaded_at", "uploaded_by", *(f"uploaded_by__{f}" for f in _NAMED_BY)
        )
        .first()
    )


def respondent_list_rows(*, user: Actor) -> QuerySet[Respondent]:
    return scope_queryset(
        Respondent.objects.select_related("respondent_list", "respondent_list__institution"),
        user=user,
        institution_path=LIST_PATH,
    )


def respondent_get(*, user: Actor, respondent_list: RespondentList, pk: int) -> Respondent:
    try:
        return respondent_list_rows(user=user).get(respondent_list=respondent_list, pk=pk)
    except Respondent.DoesNotExist as exc:
        raise Http404 from exc


def respondent_search(
    *, user: Actor, respondent_list: RespondentList, query: str = "", own_columns: bool = False
) -> QuerySet[Respondent]:
    """Rows of one list matching a case-insensitive text (Kazakh letters too); the category
    filters are ``respondents.filters``'. ``own_columns``: the rows without their list and
    institution joined in, for a caller that has the list already (its page's rows)."""
    rows = respondent_list_rows(user=user).filter(respondent_list=respondent_list)
    if own_columns:
        rows = rows.select_related(None)
    for word in query.lower().split():
        rows = rows.filter(search_text__contains=word)
    return rows


def as_of_reference_date_q() -> Q:
    """A row of the list as it stood on the reference date: not a later arrival (later
    leavers are still on it)."""
    return Q(arrived_on__isnull=True)


def respondents_as_of_reference_date(
    *, user: Actor, respondent_list: RespondentList
) -> QuerySet[Respondent]:
    """The list as it stood on the reference date: without later arrivals, with later leavers."""
    return respondent_list_rows(user=user).filter(
        as_of_reference_date_q(), respondent_list=respondent_list
    )


@dataclass(frozen=True)
class ListSizes:
    """How many people a list holds: everyone on it (arrivals and leavers included), and
    those of its paper (``as_of_reference_date_q``)."""

    total: int
    as_of_reference_date: int


def respondent_list_sizes(*, user: Actor, respondent_list: RespondentList) -> ListSizes:
    """Both sizes of one list the caller obtained through ``respondent_list_get``, in one
    aggregate query."""
    sizes = (
        respondent_list_rows(user=user)
        .filter(respondent_list=respondent_list)
        .aggregate(
            total=Count("pk"),
            as_of_reference_date=Count("pk", filter=as_of_reference_date_q()),
        )
    )
    return ListSizes(**sizes)


def respondents_current(*, user: Actor, respondent_list: RespondentList) -> QuerySet[Respondent]:
    """Who lives there now: the reference-date list plus arrivals, minus departures."""
    return respondent_list_rows(user=user).filter(
        respondent_list=respondent_list, departed_on__isnull=True
    )


def respondent_list_counts(*, respondents: QuerySet[Respondent]) -> dict[str, int]:
    """Counts by category for a confirmation or a board, in one aggregate query."""
    aggregates: dict[str, Any] = {"total": Count("pk")}
    for value in Citizenship.values:
        aggregates[f"citizenship_{value}"] = Count("pk", filter=Q(citizenship=value))
    for value in ResidenceStatus.values:
        aggregates[f"residence_{value}"] = Count("pk", filter=Q(residence_status=value))
    aggregates["without_iin"] = Count("pk", filter=Q(iin=""))
    aggregates["male"] = Count("pk", filter=Q(sex="male"))
    aggregates["female"] = Count("pk", filter=Q(sex="female"))
    return respondents.aggregate(**aggregates)


def respondent_list_board(*, user: Actor, campaign: Campaign) -> list[tuple[int, str | None]]:
    """``(pk, list status)`` of every active institution the user may see, in the board's
    order (district, Kazakh name); the status is None where no list was started. One
    query of two columns: the board's totals, filter and pages are worked out from it, and
    only the page's rows are read in full (``list_board_rows``)."""
    # One list per institution and campaign: no order (the model's joins the institution).
    lists = RespondentList.objects.filter(campaign=campaign, institution=OuterRef("pk")).order_by()
    return list(
        institution_list(user=user)
        .filter(is_active=True)
        .annotate(list_status=Subquery(lists.values("status")[:1]))
        .order_by("district__code", "name_kk")
        .values_list("pk", "list_status")
    )


def board_status_totals(board: list[tuple[int, str | None]]) -> dict[str, int]:
    """Institutions of ``respondent_list_board`` per list status ("none": no list yet)."""
    totals = dict.fromkeys(ListStatus.values, 0)
    totals["none"] = 0
    for _pk, status in board:
        totals[status or "none"] += 1
    return totals


def board_with_status(board: list[tuple[int, str | None]], status: str) -> list[int]:
    """The institutions of ``respondent_list_board`` whose list has ``status`` ("none": no
    list yet; empty: every one), in the board's order."""
    if not status:
        return [pk for pk, _status in board]
    return [pk for pk, listed in board if (listed or "none") == status]


@dataclass(frozen=True)
class ListBoardRow:
    """One institution on the lists board: what its row shows."""

    pk: int
    name_kk: str
    name_ru: str
    district_names: tuple[str, str, str]  # kk, ru, en
    expected_residents: int
    list_id: int | None
    list_status: str | None
    row_count: int
    current_count: int
    open_conflicts: int

    @property
    def name(self) -> str:
        return institution_name(self.name_kk, self.name_ru, get_language() or "kk")

    @property
    def district(self) -> str:
        """``District.name``: in the active language, else Kazakh, Russian, English."""
        kk, ru, en = self.district_names
        named = {"kk": kk, "ru": ru, "en": en}.get((get_language() or "kk")[:2], "")
        return named or kk or ru or en


_BOARD_COLUMNS = (
    "pk",
    "name_kk",
    "name_ru",
    "district__name_kk",
    "district__name_ru",
    "district__name_en",
    "expected_residents",
    "list_id",
    "list_status",
    "row_count",
    "current_count",
    "open_conflicts",
)
# A page of the board (50) and some more: the planner looks each institution's list and
# conflicts up by index (``RowsByPk.few``).
_BOARD_FEW = 100


def _board_rows_query(campaign: Campaign) -> RowsByPk:
    """Every institution with its list's status and counters (``ListSize``, so the board
    costs the same whatever the number of people on the lists) and open conflicts."""
    lists = RespondentList.objects.filter(campaign=campaign, institution=OuterRef("pk")).order_by()
    annotated = Institution.objects.annotate(
        list_id=Subquery(lists.values("pk")[:1]),
        list_status=Subquery(lists.values("status")[:1]),
        row_count=Coalesce(Subquery(lists.values("size__rows")[:1]), 0),
        current_count=Coalesce(Subquery(lists.values("size__current")[:1]), 0),
        open_conflicts=_count_subquery(
            DuplicateIinConflict.objects.filter(
                Q(institution_a=OuterRef("pk")) | Q(institution_b=OuterRef("pk")),
                open_conflict_q(),
                campaign=campaign,
            ),
            group_by="campaign",
        ),
    )
    return RowsByPk(annotated.values_list(*_BOARD_COLUMNS), few=_BOARD_FEW)


def list_board_rows(pks: Sequence[int], *, campaign: Campaign) -> list[ListBoardRow]:
    """The board's rows of ``pks`` (institutions of ``respondent_list_board``: the scope
    was applied there), in their order. The query is built and compiled once per campaign
    and process (``per_campaign``, ``RowsByPk``): only the primary keys change."""
    query = per_campaign("respondents.list_board_rows", campaign, _board_rows_query)
    by_pk = {row[0]: row for row in query.rows(list(pks))}
    rows = []
    for pk in pks:
        (_pk, name_kk, name_ru, d_kk, d_ru, d_en, expected, *listed) = by_pk[pk]
        list_id, status, row_count, current_count, conflicts = listed
        rows.append(
            ListBoardRow(
                pk=pk,
                name_kk=name_kk,
                name_ru=name_ru,
                district_names=(d_kk, d_ru, d_en),
                expected_residents=expected,
                list_id=list_id,
                list_status=status,
                row_count=row_count,
                current_count=current_count,
                open_conflicts=conflicts,
            )
        )
    return rows


def _count_subquery(queryset: QuerySet[Any], *, group_by: str) -> Coalesce:
    """COUNT(*) of a correlated subquery, zero when it finds nothing."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def conflict_scope(
    queryset: QuerySet[DuplicateIinConflict], *, user: Actor
) -> QuerySet[DuplicateIinConflict]:
    """A conflict concerns two institutions: the user sees it when either is in scope."""
    visible = institution_list(user=user)
    return queryset.filter(
        Exists(visible.filter(pk=OuterRef("institution_a")))
        | Exists(visible.filter(pk=OuterRef("institution_b")))
    )


def open_conflict_q() -> Q:
    """A conflict the department has not decided yet (``DuplicateIinConflict.is_open``)."""
    return Q(decision="")


def conflict_list(
    *, user: Actor, campaign: Campaign, open_only: bool = False
) -> QuerySet[DuplicateIinConflict]:
    """Conflicts the user may see: those touching an institution in the user's scope."""
    conflicts = conflict_scope(DuplicateIinConflict.objects.filter(campaign=campaign), user=user)
    if open_only:
        conflicts = conflicts.filter(open_conflict_q())
    return conflicts.select_related(
        "institution_a", "institution_b", "respondent_a", "respondent_b", "resolved_by"
    )


def conflict_get(*, user: Actor, campaign: Campaign, pk: int) -> DuplicateIinConflict:
    try:
        return conflict_list(user=user, campaign=campaign).get(pk=pk)
    except DuplicateIinConflict.DoesNotExist as exc:
        raise Http404 from exc
