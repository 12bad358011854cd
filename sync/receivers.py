"""Sync's answers to equipment's hooks (``equipment.hooks``), connected in ``SyncConfig.ready``.

A signed act gets one device key per kit it hands out; a return or a cancellation revokes
the keys of the kits concerned. Each runs inside the equipment service's transaction.
A kit whose USB offload is not yet uploaded to the census database and verified blocks its
return (``return_blocking``) until the Department overrides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from accounts.types import Actor
from equipment.hooks import (
    ReturnBlocker,
    act_cancelled,
    act_returned,
    act_signed,
    return_blocking,
)
from equipment.models import HandoverAct, TabletKit
from sync.selectors import usb_offloads_undelivered
from sync.services import IssuedDeviceKey, device_token_revoke_for_kits, device_tokens_issue_for_act


@receiver(act_signed, sender=HandoverAct, dispatch_uid="sync.act_signed")
def issue_device_tokens(
    sender: type[HandoverAct], *, act: HandoverAct, actor: Actor, **kwargs: Any
) -> list[IssuedDeviceKey]:
    """One key per kit out under the act: returned so the signature's page shows it once."""
    return device_tokens_issue_for_act(actor=actor, act=act)


@receiver(act_returned, sender=HandoverAct, dispatch_uid="sync.act_returned")
@receiver(act_cancelled, sender=HandoverAct, dispatch_uid="sync.act_cancelled")
def revoke_device_tokens(
    sender: type[HandoverAct], *, kit_ids: Sequence[int], **kwargs: Any
) -> None:
    """A kit that came back, or whose act was cancelled, no longer syncs with its old key."""
    device_token_revoke_for_kits(kit_ids=kit_ids)


@receiver(return_blocking, sender=HandoverAct, dispatch_uid="sync.return_blocking_usb")
def usb_offloads_block_return(
    sender: type[HandoverAct], *, act: HandoverAct, kits: Sequence[TabletKit], **kwargs: Any
) -> list[ReturnBlocker]:
    """One blocker per USB offload of these kits under this act not uploaded and verified."""
    return usb_offloads_undelivered(act=act, kits=kits)
