"""Readiness of institutions for the census, computed from the data (never stored twice).

Each app contributes checklist items in its own ``<app>/readiness_items.py`` as a module-level
``ITEMS: list[ReadinessItem]``; ``readiness_items()`` collects them in app order. An item's
``compute`` takes the (already scoped) institutions and the campaign and answers for every
institution in a constant number of queries — never one query per institution.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.functional import Promise

from institutions.models import Campaign, Institution

READINESS_APPS = ("institutions", "respondents", "equipment", "sync")
T = TypeVar("T")


@dataclass(frozen=True)
class ItemResult:
    """One institution's state on one item; ``detail`` is a short human-readable figure."""

    done: bool
    detail: str = ""


Compute = Callable[[QuerySet[Institution], Campaign], dict[int, ItemResult]]


@dataclass(frozen=True)
class ReadinessItem:
    """A step on every institution's checklist, in the order the census needs them."""

    code: str
    label: str | Promise
    next_step: str | Promise  # told to the officer while the item is not done
    compute: Compute


@cache
def readiness_items() -> tuple[ReadinessItem, ...]:
    items: list[ReadinessItem] = []
    for app in READINESS_APPS:
        try:
            module = importlib.import_module(f"{app}.readiness_items")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.readiness_items":
                raise
            continue
        items.extend(module.ITEMS)
    return tuple(items)


FIGURES = "_readiness_figures"


def board_queryset(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    """Mark ``institutions`` as one board's: items computed over it may share figures."""
    setattr(institutions, FIGURES, {})
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
