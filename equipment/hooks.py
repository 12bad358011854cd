"""Hooks that equipment publishes for the apps built on it (today: ``sync``).

Equipment knows nothing of the apps above it: it announces what happened to an act and the
subscribers (connected in their ``AppConfig.ready()``) react. Every signal is sent by the
equipment service *inside its transaction*, after the act's rows are saved, so a receiver's
writes commit or roll back together with the act; a receiver that raises aborts the service.
Receivers are called with keyword arguments only (``sender`` is always ``HandoverAct``).

- ``act_signed`` — sent by ``handover_act_sign`` with ``act`` (now signed) and ``actor``.
  A receiver may return a list of ``DeviceKey`` (one-time keys it issued for the act's kits);
  the service collects them from every receiver and returns them in ``ActSigned.device_keys``.
  ``None`` means nothing to show.
- ``act_returned`` — sent by ``kit_return_record`` with ``act``, ``actor``, ``kit_return``
  and ``kit_ids`` (the kits that came back). The return value is ignored.
- ``act_cancelled`` — sent by ``handover_act_cancel`` with ``act``, ``actor`` and
  ``kit_ids`` (the kits that went back to stock). The return value is ignored.

Return blockers (a registry: any number of providers). ``return_blocking`` is sent with
``act`` and ``kits`` (the kits about to come back) by ``equipment.selectors.return_blockers``
— from ``kit_return_record`` inside its transaction, and from the return page to warn in
advance. A receiver only reads; it returns a list of ``ReturnBlocker`` (or ``None``), one per
thing that keeps a kit from closing: the return is refused with their messages unless the
Department overrides with a reason (stored on the ``KitReturn`` with the messages, audited).
Providers today: ``sync`` (a USB offload not uploaded to the census database and verified)
and ``censusdb`` (forms a tablet sent that the census database has not received).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.dispatch import Signal

if TYPE_CHECKING:
    from equipment.models import TabletKit


class DeviceKey(Protocol):
    """What an ``act_signed`` receiver returns per kit: the key, shown once on the page."""

    kit: TabletKit
    key: str


act_signed = Signal()
act_returned = Signal()
act_cancelled = Signal()
return_blocking = Signal()


@dataclass(frozen=True)
class ReturnBlocker:
    """One reason a kit may not close: ``message`` is translated and names the tablet and
    what is missing; ``code`` is stable (``usb_offload_not_verified``)."""

    kit: TabletKit
    code: str
    message: str
