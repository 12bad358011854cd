"""Hooks that sync publishes for the apps built on it (today: ``censusdb``).

Sync knows the forms each tablet *sent* (its sync records); which of them the census
database has *received* is known only to the census-database import above it. That app
registers one provider (in its ``AppConfig.ready()``) with ``forms_received_register``; the
sync board (``sync.selectors.tablet_board_kits``) asks it for two SQL expressions over a
``TabletKit`` queryset, so the board stays one query however many kits it shows:

- ``received``: how many forms naming the kit (an integer, or NULL: none);
- ``last_delivery``: when the newest of them was completed (a moment, or NULL).

The expressions refer to the kit with ``OuterRef`` (``pk``, ``inventory_number``,
``serial``, ``imei``). With no provider the board shows no received figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from institutions.models import Campaign


@dataclass(frozen=True)
class FormsReceived:
    """SQL expressions over a kit queryset: forms received, and the last delivery."""

    received: Any
    last_delivery: Any


FormsReceivedProvider = Callable[["Campaign | None"], FormsReceived]

_providers: list[FormsReceivedProvider] = []


def forms_received_register(provider: FormsReceivedProvider) -> None:
    """Make ``provider`` the one answer to "which of a tablet's forms were received"."""
    _providers[:] = [provider]


def forms_received_provider() -> FormsReceivedProvider | None:
    return _providers[0] if _providers else None
