"""Census-DB's answers to equipment's hooks (``equipment.hooks``), connected by importing
this module in ``CensusDbConfig.ready``: a kit whose tablet sent forms the census database
has not all received does not come back without the Department's override."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from censusdb.tablet_delivery import forms_not_received
from equipment.hooks import ReturnBlocker, return_blocking
from equipment.models import HandoverAct, TabletKit


@receiver(return_blocking, sender=HandoverAct, dispatch_uid="censusdb.return_blocking_forms")
def undelivered_forms_block_return(
    sender: type[HandoverAct], *, act: HandoverAct, kits: Sequence[TabletKit], **kwargs: Any
) -> list[ReturnBlocker]:
    """One blocker per kit with forms sent under the act that are not in the census database."""
    return forms_not_received(act=act, kits=kits)
