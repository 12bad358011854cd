"""Readiness of institutions for the census, computed from the data (never stored twice).

Each app contributes checklist items in its own ``<app>/readiness_items.py`` as a module-level
``ITEMS: list[ReadinessItem]``; ``readiness_items()`` collects them in app order. An item's
``done`` is its one rule, a condition on ``Institution`` (``Exists`` over the app's tables or
counters), so that a board filters, sorts and counts a whole region by it in SQL; its
``describe`` takes the (already scoped) institutions of one page and the campaign and gives
each its detail and hint in a constant number of queries — never one query per institution.

The officer's home page offers as "what to do next" the first open item the institution can
act on (``recorded_by_department`` items are the Department's own records), with the hint its
state calls for, and links every item to its ``officer_page``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from census_coord.db import RowsByPk
from census_coord.plugins import plugin_modules
from institutions.models import Campaign, Institution

T = TypeVar("T")


@dataclass(frozen=True)
class ItemResult:
    """One institution's state on one item; ``detail`` is a short human-readable figure.

    ``hint`` replaces the item's ``next_step`` where the state calls for another one (a
    returned list is corrected, a submitted one awaits the Department's review)."""

    done: bool
    detail: str = ""
    hint: str | Promise = ""


@dataclass(frozen=True)
class ItemNote:
    """What an item says of one institution besides done or not (see ``ItemResult``)."""

    detail: str = ""
    hint: str | Promise = ""


NO_NOTE = ItemNote()
Done = Callable[[Campaign], Q]
Describe = Callable[[QuerySet[Institution], Campaign], dict[int, ItemNote]]


@dataclass(frozen=True)
class ReadinessItem:
    """A step on every institution's checklist, in the order the census needs them."""

    code: str
    label: str | Promise
    next_step: str | Promise  # told to the officer while the item is not done
    done: Done
    describe: Describe
    # The page where the officer does (or follows) this step: a URL name, optionally with
    # a "#fragment" of that page.
    officer_page: str = ""
    # Steps the Department records (seminar attendance, accepting a list): shown on the
    # checklist, but never offered to the officer as "what to do next".
    recorded_by_department: bool = False

    def done_flag(self, campaign: Campaign) -> ExpressionWrapper:
        """``done`` as a boolean column of an institution queryset."""
        return ExpressionWrapper(self.done(campaign), output_field=BooleanField())

    def compute(
        self, institutions: QuerySet[Institution], campaign: Campaign
    ) -> dict[int, ItemResult]:
        """Every one of ``institutions`` on this item alone (two queries; a board reads the
        flags of all its items in one, see ``institutions.selectors``)."""
        flags = institutions.order_by().annotate(flag=self.done_flag(campaign))
        notes = self.describe(institutions, campaign)
        results = {}
        for pk, done in flags.values_list("pk", "flag"):
            note = notes.get(pk, NO_NOTE)
            results[pk] = ItemResult(done=done, detail=note.detail, hint=note.hint)
        return results

    def officer_url(self) -> str:
        if not self.officer_page:
            return ""
        name, _hash, fragment = self.officer_page.partition("#")
        return reverse(name) + (f"#{fragment}" if fragment else "")


@cache
def readiness_items() -> tuple[ReadinessItem, ...]:
    return tuple(item for module in plugin_modules("readiness_items") for item in module.ITEMS)


FIGURES = "_readiness_figures"
PKS = "_readiness_pks"


def board_queryset(pks: list[int]) -> QuerySet[Institution]:
    """The institutions ``pks`` as one board's: items computed over them may share figures
    (``shared_figures``) and read them by primary key (``institution_figures``)."""
    institutions = Institution.objects.filter(pk__in=pks)
    setattr(institutions, FIGURES, {})
    setattr(institutions, PKS, list(pks))
    return institutions


def shared_figures(institutions: QuerySet[Institution], key: Hashable, read: Callable[[], T]) -> T:
    """Figures that several items read from one query (one app's items over one table).

    Kept on the queryset ``board_queryset`` marked, which the board makes anew for each
    computation and hands to every item, so the figures live exactly as long as one board;
    any other queryset reads afresh every time.
    """
    memo: dict[Hashable, Any] | None = getattr(institutions, FIGURES, None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


# (name, every field of the campaign) → what ``per_campaign`` built.
_PER_CAMPAIGN: dict[tuple[Any, ...], Any] = {}


def per_campaign(name: str, campaign: Campaign, build: Callable[[Campaign], T]) -> T:
    """``build(campaign)``, built once per process and campaign: for querysets whose
    annotations cost milliseconds to resolve and are the same for every request.

    The key holds every field of the campaign (a changed date builds anew). Only for
    values never changed in place: a queryset is (every method returns a new one)."""
    key = (name, *(getattr(campaign, field.attname) for field in Campaign._meta.concrete_fields))
    if key not in _PER_CAMPAIGN:
        if len(_PER_CAMPAIGN) >= 64:  # campaigns whose dates changed leave stale keys behind
            _PER_CAMPAIGN.clear()
        _PER_CAMPAIGN[key] = build(campaign)
    value: T = _PER_CAMPAIGN[key]
    return value


# Up to a board's page (50) and some more: the planner is not told how many rows, and looks
# each institution's rows up by index; told 50, it hashed the campaign's whole tables (its
# 5,000 lists, its staff) for them (on the bench database: 4.1 ms of execution for the four
# items' figures of a page, 1.1 ms with look-ups). An export of a region or the country
# tells it.
FEW_FIGURES = 100


def institution_figures(
    institutions: QuerySet[Institution],
    campaign: Campaign,
    name: str,
    build: Callable[[Campaign], QuerySet[Institution]],
    fields: tuple[str, ...],
) -> list[tuple[Any, ...]]:
    """``fields`` (the first is ``"pk"``) of each of ``institutions``, read from
    ``build(campaign)``: every institution annotated with an item's figures.

    The annotated queryset is built once per campaign and process (``per_campaign``). On a
    board (``board_queryset``) its SQL is compiled once too and run for the board's primary
    keys (``census_coord.db.RowsByPk``, ``FEW_FIGURES``): compiling the figures' aggregates
    cost 1–3 ms of CPU a query and request. Any other queryset narrows the annotated one by
    ``&`` (its conditions in the same WHERE)."""
    pks: list[int] | None = getattr(institutions, PKS, None)
    if pks is not None:
        rows: RowsByPk = per_campaign(
            f"{name}:rows",
            campaign,
            lambda c: RowsByPk(build(c).values_list(*fields), few=FEW_FIGURES),
        )
        return rows.rows(pks)
    figures = per_campaign(name, campaign, build)
    return list((figures & institutions.order_by()).values_list(*fields))
