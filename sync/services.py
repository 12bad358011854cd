"""Writes of the sync app: device tokens, sync records and the USB chain of custody.

``sync_record_receive`` is the one way a sync is recorded (REST endpoint, demo, bench):
it is idempotent on (kit, client key), refuses marks from the future, and records the
respondents a tablet enumerated through the stage-2 service, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role, role_of
from accounts.tokens import token_key_generate, token_key_hash
from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import allowed, require
from enumeration.choices import EnumerationMethod, EnumerationSource, EnumerationStatus
from enumeration.services import EnumerationUpdate, enumeration_record_batch
from equipment.models import HandoverAct, HandoverItem, TabletKit
from sync.models import DeviceToken, SyncChannel, SyncRecord, UsbStage

logger = logging.getLogger(__name__)

# The most respondents one sync may carry; the enumeration batch stays one set of queries.
MAX_ENUMERATIONS = 10_000


class SyncConflict(Exception):
    """The client reused an idempotency key for a different request body."""

    code = "idempotency_conflict"

    def __init__(self, record: SyncRecord) -> None:
        super().__init__(
            _("This idempotency key was already used for a different sync of this tablet.")
        )
        self.record = record


# --- device tokens ---------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedDeviceKey:
    """A key just issued: shown once to the Department, never stored in plain text."""

    kit: TabletKit
    token: DeviceToken
    key: str


def _revoke_active(*, kit_ids: Sequence[int]) -> int:
    return DeviceToken.objects.filter(kit_id__in=kit_ids, revoked_at__isnull=True).update(
        revoked_at=clock.wall_now()
    )


@transaction.atomic
def device_token_issue(
    *, actor: Actor, kit: TabletKit, act: HandoverAct | None = None
) -> IssuedDeviceKey:
    """Issue a new key for a kit that is out under a signed act; any older key stops working."""
    require(actor, "device_key.issue")
    kit = TabletKit.objects.select_for_update().get(pk=kit.pk)
    item = (
        HandoverItem.objects.filter(kit=kit, is_open=True)
        .select_related("act")
        .order_by("-pk")
        .first()
    )
    if item is None or not item.act.is_signed:
        raise ValidationError(
            _("A device key is issued only for a kit handed over under a signed act."),
            code="kit_not_handed_over",
        )
    _revoke_active(kit_ids=[kit.pk])
    key = token_key_generate()
    token = DeviceToken.objects.create(
        kit=kit,
        act=act or item.act,
        prefix=key[:8],
        key_hash=token_key_hash(key),
        issued_by=actor,
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        institution=kit.holder_institution_id,
    )
    return IssuedDeviceKey(kit=kit, token=token, key=key)


@transaction.atomic
def device_tokens_issue_for_act(*, actor: Actor, act: HandoverAct) -> list[IssuedDeviceKey]:
    """One key per kit still out under a just-signed act (``sync.receivers`` on ``act_signed``)."""
    kits = [item.kit for item in act.items.filter(is_open=True).select_related("kit")]
    return [device_token_issue(actor=actor, kit=kit, act=act) for kit in kits]


@transaction.atomic
def device_token_revoke_for_kits(*, kit_ids: Sequence[int]) -> int:
    """Revoke the active keys of kits that came back or whose act was cancelled."""
    return _revoke_active(kit_ids=list(kit_ids))


# --- sync records ----------------------------------------------------------------------


def _body_hash(
    *,
    channel: str,
    sent_at: dt.datetime,
    form_count: int,
    payload_checksum: str,
    media_id: str,
    enumerations: Sequence[Mapping[str, Any]],
) -> str:
    """A fingerprint of what was sent, to tell a repeat from a different sync."""
    body = {
        "channel": channel,
        "sent_at": sent_at.astimezone(dt.UTC).isoformat(),
        "form_count": form_count,
        "payload_checksum": payload_checksum,
        "media_id": media_id,
        "enumerations": [
            {key: str(value) for key, value in sorted(item.items())} for item in enumerations
        ],
    }
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _refuse(*, code: str, message: str, kit: TabletKit, actor: Actor | None, token: Any) -> None:
    """Log and audit a refused sync (ids only), then raise."""
    logger.warning("sync refused: %s kit=%s token=%s", code, kit.pk, getattr(token, "prefix", "-"))
    audit_record(
        request_or_actor=actor,
        action=AuditAction.ACCESS_DENIED,
        object_type="equipment.tabletkit",
        object_id=kit.pk,
        # A returned kit has no holder: the institution is the one its key was issued to.
        institution=kit.holder_institution_id
        or getattr(getattr(token, "act", None), "institution_id", None),
        extra={"reason": code, "via": "device" if token is not None else "user"},
    )
    raise ValidationError(message, code=code)


def _enumeration_updates(
    *, enumerations: Sequence[Mapping[str, Any]], kit: TabletKit, holder_id: int | None
) -> list[EnumerationUpdate]:
    """What a tablet reports as interviewed, as stage-2 updates by the kit's holder."""
    return [
        EnumerationUpdate(
            respondent_id=int(item["respondent_id"]) if item.get("respondent_id") else None,
            iin=(item.get("iin") or "").strip(),
            external_ref=(item.get("external_ref") or "").strip(),
            status=EnumerationStatus.ENUMERATED,
            method=EnumerationMethod.TABLET,
            enumerated_on=item["enumerated_on"],
            staff_id=holder_id,
            tablet_kit_ref=kit.inventory_number,
            registration_number=(item.get("registration_number") or "").strip(),
            note=(item.get("note") or "").strip(),
        )
        for item in enumerations
    ]


def sync_record_receive(
    *,
    kit: TabletKit,
    channel: str,
    sent_at: dt.datetime,
    form_count: int,
    payload_checksum: str,
    idempotency_key: str,
    enumerations: Sequence[Mapping[str, Any]] = (),
    device_token: DeviceToken | None = None,
    actor: Actor | None = None,
    media_id: str = "",
) -> tuple[SyncRecord, bool]:
    """Record one sync of ``kit``; returns the record and whether it was created now.

    A tablet posts with its ``device_token`` (VPN only); the Department or the census system
    posts as ``actor`` (any channel; a USB offload is received on ``actor``'s media).
    The same key with the same body returns the first record; with a different body it
    raises ``SyncConflict``. The unique (kit, key) constraint decides between concurrent
    identical posts: the loser's insert fails and it returns the winner's record.

    Refusals (revoked key, mark from the future) are logged and audited before anything
    else, outside the recording transaction, so that their trail survives the refusal.
    """
    if device_token is None and role_of(actor) not in (Role.DEPARTMENT, Role.API_CLIENT):
        raise PermissionDenied
    if device_token is None and getattr(actor, "institution_id", None):
        raise PermissionDenied  # an institution's API client cannot speak for a tablet
    if device_token is not None and device_token.kit_id != kit.pk:
        raise PermissionDenied
    idempotency_key = idempotency_key.strip()
    if not idempotency_key or len(idempotency_key) > 128:
        raise ValidationError(
            _("Send an Idempotency-Key header of 1 to 128 characters."),
            code="idempotency_key_required",
        )
    media_id = media_id.strip()
    body_hash = _body_hash(
        channel=channel,
        sent_at=sent_at,
        form_count=form_count,
        payload_checksum=payload_checksum,
        media_id=media_id,
        enumerations=enumerations,
    )
    existing = SyncRecord.objects.filter(kit=kit, idempotency_key=idempotency_key).first()
    if existing is not None:
        return _repeat(existing, body_hash)
    if device_token is not None and device_token.is_revoked:
        _refuse(
            code="device_token_revoked",
            message=_("This tablet's device key has been revoked; the sync is refused."),
            kit=kit,
            actor=actor,
            token=device_token,
        )
    tolerance = dt.timedelta(minutes=settings.SYNC_FUTURE_TOLERANCE_MINUTES)
    if sent_at > clock.wall_now() + tolerance:
        _refuse(
            code="mark_in_future",
            message=ngettext(
                "The tablet's sync mark is more than %(minutes)s minute ahead of the server "
                "clock; check the tablet's date and time and sync again.",
                "The tablet's sync mark is more than %(minutes)s minutes ahead of the server "
                "clock; check the tablet's date and time and sync again.",
                settings.SYNC_FUTURE_TOLERANCE_MINUTES,
            )
            % {"minutes": settings.SYNC_FUTURE_TOLERANCE_MINUTES},
            kit=kit,
            actor=actor,
            token=device_token,
        )
    return _sync_record_store(
        kit=kit,
        channel=channel,
        sent_at=sent_at,
        form_count=form_count,
        payload_checksum=payload_checksum,
        idempotency_key=idempotency_key,
        body_hash=body_hash,
        enumerations=enumerations,
        device_token=device_token,
        actor=actor,
        media_id=media_id,
    )


@transaction.atomic
def _sync_record_store(
    *,
    kit: TabletKit,
    channel: str,
    sent_at: dt.datetime,
    form_count: int,
    payload_checksum: str,
    idempotency_key: str,
    body_hash: str,
    enumerations: Sequence[Mapping[str, Any]],
    device_token: DeviceToken | None,
    actor: Actor | None,
    media_id: str,
) -> tuple[SyncRecord, bool]:
    """The recording transaction of ``sync_record_receive``: all of it or nothing."""
    if device_token is not None:
        # Lock the key so that a concurrent revocation (the kit's return) happens wholly
        # before this sync or after it.
        active = DeviceToken.objects.select_for_update().filter(pk=device_token.pk).first()
        if active is None or active.is_revoked:
            logger.warning("sync refused: device_token_revoked kit=%s", kit.pk)
            raise ValidationError(
                _("This tablet's device key has been revoked; the sync is refused."),
                code="device_token_revoked",
            )
    if channel not in SyncChannel.values:
        raise ValidationError(_("Choose VPN or USB as the channel."), code="invalid_channel")
    if channel == SyncChannel.USB:
        if device_token is not None or not allowed(actor, "usb.record"):
            raise ValidationError(
                _("A USB offload is recorded by the Department employee who received it."),
                code="usb_by_department",
            )
        if not media_id:
            raise ValidationError(
                {"media_id": _("Enter the identifier of the media the data was offloaded to.")},
                code="media_id_required",
            )
    elif media_id:
        raise ValidationError(
            {"media_id": _("A media identifier belongs to USB offloads only.")},
            code="media_id_not_usb",
        )
    if form_count < 0:
        raise ValidationError({"form_count": _("The number of forms cannot be negative.")})
    if len(enumerations) > MAX_ENUMERATIONS:
        raise ValidationError(
            ngettext(
                "A sync may carry at most %(count)s respondent.",
                "A sync may carry at most %(count)s respondents.",
                MAX_ENUMERATIONS,
            )
            % {"count": MAX_ENUMERATIONS},
            code="too_many_enumerations",
        )
    item = (
        HandoverItem.objects.filter(kit=kit, is_open=True)
        .select_related("act", "act__received_by__user")
        .first()
    )
    if item is None or kit.holder_institution_id is None:
        raise ValidationError(
            _("Kit %(kit)s is not handed over to an institution.") % {"kit": kit.inventory_number},
            code="kit_not_handed_over",
        )
    holder = item.act.received_by
    usb = channel == SyncChannel.USB
    now = clock.now()
    record = SyncRecord(
        kit=kit,
        institution_id=item.act.institution_id,
        holder=holder,
        channel=channel,
        sent_at=sent_at,
        received_at=now,
        form_count=form_count,
        payload_checksum=payload_checksum.strip()[:128],
        idempotency_key=idempotency_key,
        body_hash=body_hash,
        enumerated_count=len(enumerations),
        device_token=device_token,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        usb_stage=UsbStage.OFFLOADED if usb else "",
        media_id=media_id if usb else "",
        offloaded_by=actor if usb else None,
        offloaded_at=now if usb else None,
    )
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        # A concurrent identical post committed first (we waited on its unique index entry).
        existing = SyncRecord.objects.filter(kit=kit, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _repeat(existing, body_hash)

    if enumerations:
        enumerator = getattr(holder, "user", None)
        if enumerator is None or not enumerator.is_active:
            raise ValidationError(
                _(
                    "The kit's holder %(holder)s has no active user account, so the "
                    "respondents in this sync cannot be recorded as enumerated by them."
                )
                % {"holder": holder.full_name},
                code="holder_without_account",
            )
        enumeration_record_batch(
            actor=enumerator,
            updates=_enumeration_updates(enumerations=enumerations, kit=kit, holder_id=holder.pk),
            source=EnumerationSource.SYNC,
            institution_id=record.institution_id,
        )
    if device_token is not None:
        DeviceToken.objects.filter(pk=device_token.pk).update(last_used_at=now)
    audit_record(request_or_actor=actor, action=AuditAction.CREATE, obj=record)
    return record, True


def _repeat(existing: SyncRecord, body_hash: str) -> tuple[SyncRecord, bool]:
    if existing.body_hash != body_hash:
        raise SyncConflict(existing)
    return existing, False


# --- USB chain of custody --------------------------------------------------------------


def _audit_usb_step(actor: Actor, record: SyncRecord) -> None:
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=record,
        extra={"usb_stage": record.usb_stage},
    )


def _usb_lock(record: SyncRecord) -> SyncRecord:
    locked = SyncRecord.objects.select_for_update().get(pk=record.pk)
    if locked.channel != SyncChannel.USB:
        raise ValidationError(_("This sync was not a USB offload."), code="not_usb")
    return locked


def _usb_step(
    actor: Actor,
    record: SyncRecord,
    *,
    before: UsbStage,
    after: UsbStage,
    refusal: ValidationError,
) -> SyncRecord:
    """Move a USB offload one stage on (``before`` → ``after``), stamping who and when in
    the ``<after>_by`` / ``<after>_at`` fields; refused from any other stage."""
    require(actor, "usb.record")
    record = _usb_lock(record)
    if record.usb_stage != before:
        raise refusal
    by, at = f"{after.value}_by", f"{after.value}_at"
    record.usb_stage = after
    setattr(record, by, actor)
    setattr(record, at, clock.now())
    record.save(update_fields=["usb_stage", by, at])
    _audit_usb_step(actor, record)
    return record


@transaction.atomic
def usb_offload_mark_uploaded(*, actor: Actor, record: SyncRecord) -> SyncRecord:
    """The offloaded data has been uploaded from the media to the census database."""
    return _usb_step(
        actor,
        record,
        before=UsbStage.OFFLOADED,
        after=UsbStage.UPLOADED,
        refusal=ValidationError(
            _("Only an offload that has not been uploaded yet can be marked uploaded."),
            code="usb_not_offloaded",
        ),
    )


@transaction.atomic
def usb_offload_mark_verified(*, actor: Actor, record: SyncRecord) -> SyncRecord:
    """The upload has been checked against the census database."""
    return _usb_step(
        actor,
        record,
        before=UsbStage.UPLOADED,
        after=UsbStage.VERIFIED,
        refusal=ValidationError(
            _("Only an offload uploaded to the census database can be verified."),
            code="usb_not_uploaded",
        ),
    )
