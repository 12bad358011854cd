"""Writes of the equipment app: hand-over acts, their signature, returns and cancellation.

Every service is one transaction and locks the rows it decides on, so two department
employees working at once cannot hand the same kit out twice or take the same act number.
Signing, returning and cancelling an act send the hooks of ``equipment.hooks`` inside the
transaction; ``sync`` subscribes to them to issue and revoke per-tablet device tokens, so
equipment never imports the apps built on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import require
from census_coord.uploads import CONTENT_TYPES, JPEG, PDF, PNG, upload_store
from equipment.choices import (
    RETURNABLE_ACT_STATUSES,
    ActStatus,
    Component,
    Condition,
    KitState,
    ReturnOutcome,
)
from equipment.hooks import DeviceKey, ReturnBlocker, act_cancelled, act_returned, act_signed
from equipment.models import (
    ActCounter,
    ComponentReplacement,
    HandoverAct,
    HandoverItem,
    KitReturn,
    TabletKit,
)
from equipment.selectors import BlanksBalance, institution_blanks, return_blockers
from institutions.campaigns import campaign_require_open
from institutions.models import Campaign, Institution, ResponsibleStaff
from institutions.selectors import campaign_get_active

# A kit can leave the Department's store only from these states; an incomplete one only
# when the Department confirms it hands the kit over without the missing parts.
HANDABLE_STATES = (KitState.IN_STOCK, KitState.RETURNED, KitState.INCOMPLETE)

# A signed act is scanned or photographed: a PDF, JPEG or PNG, kept under a generated name.
SCAN_KINDS = (PDF, JPEG, PNG)
SCAN_PREFIX = "equipment/scans"


def _act_number_next(*, campaign: Campaign) -> int:
    """The next number in the campaign's gap-free sequence; the counter row stays locked
    until the calling transaction ends, so concurrent acts queue for their numbers."""
    ActCounter.objects.bulk_create([ActCounter(campaign=campaign)], ignore_conflicts=True)
    counter = ActCounter.objects.select_for_update().get(campaign=campaign)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _kit_out_error(kit: TabletKit) -> ValidationError:
    return ValidationError(
        _("Kit %(kit)s is not in stock (it is out or unavailable) and cannot be handed over.")
        % {"kit": kit.inventory_number},
        code="kit_not_available",
    )


def _incomplete_kits_error(kits: Sequence[TabletKit]) -> ValidationError:
    described = "; ".join(
        _("%(kit)s: %(components)s")
        % {
            "kit": kit.inventory_number,
            "components": ", ".join(
                f"{label} ({condition})" for _code, label, condition in kit.defective_components()
            ),
        }
        for kit in kits
    )
    message = _(
        "Some kits are incomplete (%(kits)s). Record the replacement first, or confirm that "
        "they are handed over as they are."
    ) % {"kits": described}
    return ValidationError({"kits": ValidationError(message, code="kit_incomplete_unconfirmed")})


@transaction.atomic
def handover_act_create(
    *,
    actor: Actor,
    institution: Institution,
    received_by: ResponsibleStaff,
    kits: Sequence[TabletKit],
    act_date: dt.date,
    instruction_booklets: int = 0,
    certificate_blanks: int = 0,
    note: str = "",
    confirm_incomplete: bool = False,
) -> HandoverAct:
    """Hand kits over to an institution's responsible staff member under a new act (draft
    until both parties sign). The kits leave the store at once: a kit is with one holder.

    A kit that came back incomplete and is not yet made whole goes out only with
    ``confirm_incomplete``; the act records the components' condition as they are, so the
    return is judged fairly."""
    require(actor, "act.create")
    campaign = campaign_get_active()
    if (
        received_by.institution_id != institution.pk
        or not received_by.is_active
        or received_by.campaign_id != campaign.pk
    ):
        raise ValidationError(
            {"received_by": _("Choose an active responsible staff member of this institution.")},
            code="recipient_not_of_institution",
        )
    if act_date > clock.today():
        raise ValidationError({"act_date": _("The act cannot be dated in the future.")})
    if not kits and not (instruction_booklets or certificate_blanks):
        raise ValidationError(
            _("An act hands over at least one kit or some paper materials."), code="empty_act"
        )
    # Lock the kits in a fixed order (no deadlocks); a concurrent hand-over of the same kit
    # waits here and then sees it out.
    locked = list(
        TabletKit.objects.select_for_update().filter(pk__in=[k.pk for k in kits]).order_by("pk")
    )
    for kit in locked:
        if kit.state not in HANDABLE_STATES:
            raise _kit_out_error(kit)
    incomplete = [kit for kit in locked if kit.state == KitState.INCOMPLETE]
    if incomplete and not confirm_incomplete:
        raise _incomplete_kits_error(incomplete)
    act = HandoverAct.objects.create(
        campaign=campaign,
        number=_act_number_next(campaign=campaign),
        act_date=act_date,
        institution=institution,
        handed_over_by=actor,
        received_by=received_by,
        instruction_booklets=instruction_booklets,
        certificate_blanks=certificate_blanks,
        note=note,
    )
    for kit in locked:
        try:
            with transaction.atomic():
                HandoverItem.objects.create(
                    act=act, kit=kit, components_at_handover=dict(kit.components)
                )
        except IntegrityError as exc:  # the one-holder constraint, should a lock be bypassed
            raise _kit_out_error(kit) from exc
        kit.state = KitState.HANDED_OVER
        kit.holder_institution = institution
        kit.save(update_fields=["state", "holder_institution", "updated_at"])
    audit_record(request_or_actor=actor, action=AuditAction.CREATE, obj=act)
    return act


def _act_lock(act: HandoverAct) -> HandoverAct:
    return HandoverAct.objects.select_for_update().get(pk=act.pk)


@dataclass(frozen=True)
class ActSigned:
    """A just-signed act and the one-time device keys the ``act_signed`` receivers issued.

    The keys are shown once on the response to this signature, never stored in plain text."""

    act: HandoverAct
    device_keys: list[DeviceKey] = field(default_factory=list)


@transaction.atomic
def handover_act_sign(
    *,
    actor: Actor,
    act: HandoverAct,
    department_signed_on: dt.date,
    recipient_signed_on: dt.date,
    signed_scan: UploadedFile,
) -> ActSigned:
    """Confirm both parties' signatures with their dates and keep the signed scan."""
    campaign_require_open(act)
    require(actor, "act.sign")
    act = _act_lock(act)
    if act.status != ActStatus.DRAFT:
        raise ValidationError(_("Only a draft act can be signed."), code="act_not_draft")
    today = clock.today()
    errors: dict[str, str] = {}
    for name, day in (
        ("department_signed_on", department_signed_on),
        ("recipient_signed_on", recipient_signed_on),
    ):
        if day < act.act_date:
            errors[name] = _("A signature cannot precede the act date.")
        elif day > today:
            errors[name] = _("A signature cannot be dated in the future.")
    if errors:
        raise ValidationError(errors, code="invalid_signature_date")
    # Stored last, after every check: a rejected signature leaves no file behind. The
    # shared upload rule checks size and type by content and picks the stored name.
    try:
        stored = upload_store(signed_scan, prefix=SCAN_PREFIX, allowed=SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"signed_scan": error}) from error
    act.department_signed_on = department_signed_on
    act.recipient_signed_on = recipient_signed_on
    act.signed_scan_type = CONTENT_TYPES[stored.kind]
    act.signed_scan.name = stored.name
    act.status = ActStatus.SIGNED
    act.save(
        update_fields=[
            "department_signed_on",
            "recipient_signed_on",
            "signed_scan",
            "signed_scan_type",
            "status",
            "updated_at",
        ]
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=act,
        extra={"step": "signed", "file": "signed_scan"},
    )
    responses = act_signed.send(sender=HandoverAct, act=act, actor=actor)
    keys: list[DeviceKey] = [key for _receiver, returned in responses for key in (returned or [])]  # type: ignore[misc]  # receivers return DeviceKeys
    return ActSigned(act=act, device_keys=keys)


@transaction.atomic
def handover_act_cancel(*, actor: Actor, act: HandoverAct) -> HandoverAct:
    """Cancel a draft made in error; its kits go back to stock. The number stays used, so the
    register of numbers has no gaps."""
    campaign_require_open(act)
    require(actor, "act.cancel")
    act = _act_lock(act)
    if act.status != ActStatus.DRAFT:
        raise ValidationError(_("Only a draft act can be cancelled."), code="act_not_draft")
    for item in act.items.select_related("kit").select_for_update(of=("self", "kit")):
        item.is_open = False
        item.save(update_fields=["is_open"])
        kit = item.kit
        kit.state = KitState.IN_STOCK
        kit.holder_institution = None
        kit.save(update_fields=["state", "holder_institution", "updated_at"])
    act.status = ActStatus.CANCELLED
    act.save(update_fields=["status", "updated_at"])
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=act, extra={"step": "cancelled"}
    )
    act_cancelled.send(
        sender=HandoverAct,
        act=act,
        actor=actor,
        kit_ids=list(act.items.values_list("kit_id", flat=True)),
    )
    return act


@dataclass(frozen=True)
class KitReturnLine:
    """What came back of one kit: the tablet and each component handed over, with notes."""

    item_id: int
    tablet_outcome: str
    components: Mapping[str, str] = field(default_factory=dict)
    component_notes: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


def _kit_after_return(kit: TabletKit, item: HandoverItem, line: KitReturnLine) -> None:
    components = dict(item.components_at_handover)
    for code in Component.values:
        outcome = line.components.get(code)
        if outcome == ReturnOutcome.MISSING:
            components[code] = Condition.ABSENT
        elif outcome == ReturnOutcome.DAMAGED:
            components[code] = Condition.DAMAGED
    kit.components = components
    lost_now = any(
        outcome in (ReturnOutcome.MISSING, ReturnOutcome.DAMAGED)
        for outcome in line.components.values()
    )
    if line.tablet_outcome != ReturnOutcome.RETURNED:
        kit.state = KitState.LOST_DAMAGED
    elif lost_now:
        # Not "returned": a kit that came back without its stylus must not look ready to go
        # out again. (A component already absent at hand-over was not lost by this holder.)
        kit.state = KitState.INCOMPLETE
    else:
        kit.state = KitState.RETURNED
    kit.holder_institution = None
    kit.save(update_fields=["components", "state", "holder_institution", "updated_at"])


def undelivered_data_error(blockers: Sequence[ReturnBlocker]) -> ValidationError:
    """The refusal of a return while a tablet still holds data not delivered."""
    message = ngettext(
        "The kit cannot be returned yet: %(blockers)s The Department may return it anyway, "
        "giving the reason for the override.",
        "The kits cannot be returned yet: %(blockers)s The Department may return them "
        "anyway, giving the reason for the override.",
        len({blocker.kit.pk for blocker in blockers}),
    ) % {"blockers": " ".join(blocker.message for blocker in blockers)}
    return ValidationError(message, code="kit_data_undelivered")


def blanks_note_error(balance: BlanksBalance) -> ValidationError:
    """The refusal of a closing return that leaves certificate blanks unaccounted, unnoted."""
    message = _(
        "Certificate blanks unaccounted for after this return: %(unaccounted)s (handed over "
        "on acts %(handed)s − certificates issued in the app %(issued)s − returned "
        "%(returned)s). Say in the note what became of them."
    ) % {
        "unaccounted": balance.unaccounted,
        "handed": balance.handed_over,
        "issued": balance.issued,
        "returned": balance.returned,
    }
    return ValidationError({"note": ValidationError(message, code="blanks_unaccounted")})


@transaction.atomic
def kit_return_record(
    *,
    actor: Actor,
    act: HandoverAct,
    returned_on: dt.date,
    returned_by: ResponsibleStaff,
    lines: Sequence[KitReturnLine],
    instruction_booklets: int = 0,
    certificate_blanks: int = 0,
    note: str = "",
    override_reason: str = "",
) -> KitReturn:
    """Record kits coming back under an act: per kit and component returned, missing or
    damaged. Kits not listed stay out (a partial return); the act closes with its last kit.

    Refused while a return blocker (``equipment.hooks.return_blocking``: a USB offload not
    uploaded and verified, …) holds a kit back, unless the Department gives
    ``override_reason`` (stored with the blockers' messages, audited). A return that closes
    the act while the institution's certificate blanks do not add up (handed over − issued
    − returned ≠ 0) needs a ``note``."""
    campaign_require_open(act)
    require(actor, "kit.return")
    act = _act_lock(act)
    if act.status not in RETURNABLE_ACT_STATUSES:
        raise ValidationError(
            _("Kits can be returned only under a signed act that is not closed."),
            code="act_not_returnable",
        )
    if not lines:
        raise ValidationError(_("Choose at least one kit that is returned."), code="no_kits")
    if returned_by.institution_id != act.institution_id:
        raise ValidationError(
            {"returned_by": _("Choose a responsible staff member of the act's institution.")},
            code="returner_not_of_institution",
        )
    if returned_on < act.act_date or returned_on > clock.today():
        raise ValidationError(
            {"returned_on": _("The return date must be between the act date and today.")},
            code="invalid_return_date",
        )
    items = {
        item.pk: item
        for item in act.items.select_related("kit").select_for_update(of=("self", "kit"))
    }
    seen: set[int] = set()
    for line in lines:
        item = items.get(line.item_id)
        if item is None or not item.is_open or line.item_id in seen:
            raise ValidationError(
                _("A kit in the return is not out under this act."), code="kit_not_out"
            )
        seen.add(line.item_id)
        if line.tablet_outcome not in ReturnOutcome.values:
            raise ValidationError(
                _("Say whether tablet %(kit)s is returned, missing or damaged.")
                % {"kit": item.kit.inventory_number},
                code="tablet_outcome_required",
            )
        handed = {c for c, cond in item.components_at_handover.items() if cond != Condition.ABSENT}
        given = {c for c, outcome in line.components.items() if outcome}
        if given != handed or not all(line.components[c] in ReturnOutcome.values for c in handed):
            raise ValidationError(
                _(
                    "Say for every component of kit %(kit)s handed over whether it is returned, "
                    "missing or damaged."
                )
                % {"kit": item.kit.inventory_number},
                code="component_outcome_required",
            )
    blockers = return_blockers(act=act, kits=[items[line.item_id].kit for line in lines])
    override_reason = override_reason.strip()
    if blockers:
        if not override_reason:
            raise undelivered_data_error(blockers)
        require(actor, "kit.return_override", act)
    else:
        override_reason = ""  # nothing was overridden: nothing to keep
    closes_act = not any(item.is_open and item.pk not in seen for item in items.values())
    if closes_act and not note.strip():
        before = institution_blanks(institution=act.institution, campaign=act.campaign)
        after = BlanksBalance(
            before.handed_over, before.issued, before.returned + certificate_blanks
        )
        if after.unaccounted:
            raise blanks_note_error(after)
    sequence = act.returns.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    kit_return = KitReturn.objects.create(
        act=act,
        sequence=sequence + 1,
        returned_on=returned_on,
        received_by=actor,
        returned_by=returned_by,
        instruction_booklets=instruction_booklets,
        certificate_blanks=certificate_blanks,
        note=note,
        override_reason=override_reason,
        override_blockers=[
            {"kit": blocker.kit.inventory_number, "code": blocker.code, "message": blocker.message}
            for blocker in blockers
        ],
    )
    for line in lines:
        item = items[line.item_id]
        item.is_open = False
        item.return_record = kit_return
        item.tablet_outcome = line.tablet_outcome
        item.components_at_return = {
            code: {"outcome": outcome, "note": line.component_notes.get(code, "").strip()}
            for code, outcome in line.components.items()
            if outcome
        }
        item.return_note = line.note.strip()
        item.save(
            update_fields=[
                "is_open",
                "return_record",
                "tablet_outcome",
                "components_at_return",
                "return_note",
            ]
        )
        _kit_after_return(item.kit, item, line)
    act_returned.send(
        sender=HandoverAct,
        act=act,
        actor=actor,
        kit_return=kit_return,
        kit_ids=[items[line.item_id].kit_id for line in lines],
    )
    still_out = any(item.is_open for item in items.values())
    act.status = ActStatus.PARTLY_RETURNED if still_out else ActStatus.CLOSED
    act.save(update_fields=["status", "updated_at"])
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=kit_return,
        institution=act.institution_id,
        extra=(
            {
                "override": True,
                "blockers": sorted({blocker.code for blocker in blockers}),
                "kits": sorted({blocker.kit.inventory_number for blocker in blockers}),
            }
            if blockers
            else None
        ),
    )
    return kit_return


# Moves within the Department's store; hand-over and return go through acts only.
STORE_STATES = (KitState.IN_STOCK, KitState.RETURNED, KitState.IN_REPAIR, KitState.LOST_DAMAGED)
# States that say "ready to go out": a kit reaches them only with every component whole.
READY_STATES = (KitState.IN_STOCK, KitState.RETURNED)


@transaction.atomic
def kit_state_change(*, actor: Actor, kit: TabletKit, state: str) -> TabletKit:
    """Send a kit in the store to repair, write it off as lost/damaged or put it back in stock."""
    require(actor, "kit.change_state")
    kit = TabletKit.objects.select_for_update().get(pk=kit.pk)
    if kit.state == KitState.HANDED_OVER or state not in STORE_STATES:
        raise ValidationError(
            _("A kit that is out changes state only through its act's return."),
            code="kit_out",
        )
    awaiting_replacement = kit.state in (KitState.INCOMPLETE, KitState.IN_REPAIR)
    if state in READY_STATES and awaiting_replacement and kit.defective_components():
        raise ValidationError(
            _("Kit %(kit)s has missing or damaged components: record their replacement first.")
            % {"kit": kit.inventory_number},
            code="kit_incomplete",
        )
    kit.state = state
    kit.save(update_fields=["state", "updated_at"])
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=kit, extra={"step": "state"}
    )
    return kit


@transaction.atomic
def kit_components_replace(
    *,
    actor: Actor,
    kit: TabletKit,
    components: Sequence[str],
    replaced_on: dt.date,
    note: str = "",
) -> TabletKit:
    """Record that the Department replaced missing or damaged components of a kit in its
    store. With nothing left to replace, an incomplete kit (or one back from repair) is
    ready to go out again. Audited: the record of who completed which kit and when."""
    require(actor, "kit.replace")
    kit = TabletKit.objects.select_for_update().get(pk=kit.pk)
    if kit.state == KitState.HANDED_OVER:
        raise ValidationError(
            _("Kit %(kit)s is out with an institution; components are replaced in the store.")
            % {"kit": kit.inventory_number},
            code="kit_out",
        )
    defective = {code for code, _label, _condition in kit.defective_components()}
    chosen = list(dict.fromkeys(components))
    if not chosen:
        message = _("Choose the components that are replaced.")
        raise ValidationError({"components": ValidationError(message, code="no_components")})
    if not set(chosen) <= defective:
        message = _("Only a missing or damaged component can be replaced.")
        raise ValidationError(
            {"components": ValidationError(message, code="component_not_defective")}
        )
    if replaced_on > clock.today():
        message = _("The replacement cannot be dated in the future.")
        raise ValidationError(
            {"replaced_on": ValidationError(message, code="invalid_replacement_date")}
        )
    ComponentReplacement.objects.bulk_create(
        ComponentReplacement(
            kit=kit,
            component=code,
            condition_before=kit.components[code],
            replaced_on=replaced_on,
            recorded_by=actor,
            note=note.strip(),
        )
        for code in chosen
    )
    kit.components = {**kit.components, **dict.fromkeys(chosen, Condition.GOOD)}
    if kit.state in (KitState.INCOMPLETE, KitState.IN_REPAIR) and not kit.defective_components():
        kit.state = KitState.RETURNED
    kit.save(update_fields=["components", "state", "updated_at"])
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=kit,
        extra={"step": "components_replaced", "components": chosen},
    )
    return kit
