"""Writes of respondent lists: rows, the review lifecycle, amendments and conflicts.

Every service is one transaction, takes the acting user, and checks that the actor may
make the change; row values always pass through ``respondents.validation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import require
from census_coord.uploads import CONTENT_TYPES, JPEG, PDF, PNG, upload_store
from institutions.campaigns import campaign_require_open
from institutions.models import Campaign, Institution
from respondents import hooks, matching, row_schema
from respondents.choices import (
    EDITABLE_STATUSES,
    AmendmentKind,
    ConflictDecision,
    ConflictKind,
    DepartureReason,
    ListStatus,
)
from respondents.models import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
    RespondentNameKey,
    SignedListScan,
)
from respondents.validation import (
    RowError,
    duplicate_error_for_form,
    duplicate_keys,
    duplicate_reference_error_for_form,
    search_text,
    validate_row,
    validate_rows,
)

# The printed list comes back signed as a scan or a photo, kept under a generated name.
SCAN_KINDS = (PDF, JPEG, PNG)
SCAN_PREFIX = "respondents/signed-lists"
# A scan is filed once the list has left the institution: the paper names what was sent.
SCAN_STATUSES = (ListStatus.SUBMITTED, ListStatus.ACCEPTED)

# The row's fields (``respondents.row_schema``): what a form or client gives and a row stores.
ROW_FIELDS = row_schema.FIELD_NAMES


def _locked(respondent_list: RespondentList) -> RespondentList:
    """Re-read the list under a row lock: two requests must not change its state at once."""
    return RespondentList.objects.select_for_update().get(pk=respondent_list.pk)


def _check_status(respondent_list: RespondentList, allowed: tuple[str, ...]) -> None:
    if respondent_list.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the list is “%(status)s”.")
            % {"status": respondent_list.get_status_display()},
            code="list_status",
        )


def _raise_row_errors(errors: list[RowError]) -> None:
    if errors:
        by_field: dict[str, list[ValidationError]] = {}
        for error in errors:
            by_field.setdefault(error.field, []).append(
                ValidationError(error.message, code=error.code)
            )
        raise ValidationError(by_field)


def _transition(
    respondent_list: RespondentList, *, actor: Actor, to_status: str, comment: str = ""
) -> None:
    ListTransition.objects.create(
        respondent_list=respondent_list,
        actor=actor,
        from_status=respondent_list.status,
        to_status=to_status,
        comment=comment,
    )
    respondent_list.status = to_status


# --- lists -------------------------------------------------------------------------


@transaction.atomic
def respondent_list_open(
    *, actor: Actor, institution: Institution, campaign: Campaign
) -> RespondentList:
    """The institution's list for the campaign, started as a draft when there is none."""
    campaign_require_open(campaign)
    require(actor, "list.open", institution)
    respondent_list, _created = RespondentList.objects.get_or_create(
        institution=institution, campaign=campaign
    )
    return respondent_list


# --- rows --------------------------------------------------------------------------


def _check_duplicates_in_list(
    respondent_list: RespondentList, values: Mapping[str, Any], *, exclude_pk: int | None
) -> list[RowError]:
    errors: list[RowError] = []
    for key in duplicate_keys(values):
        others = Respondent.objects.filter(respondent_list=respondent_list)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if key[0] == "iin":
            others = others.filter(iin=key[1])
        else:
            others = others.filter(
                iin="",
                surname__iexact=values["surname"],
                given_name__iexact=values["given_name"],
                birth_date=values["birth_date"],
            )
        other = others.first()
        if other is not None:
            errors.append(duplicate_error_for_form(key, other_label=other.full_name))
    if ref := values.get("external_ref"):
        holders = Respondent.objects.filter(respondent_list=respondent_list, external_ref=ref)
        if exclude_pk is not None:
            holders = holders.exclude(pk=exclude_pk)
        holder = holders.first()
        if holder is not None:
            errors.append(duplicate_reference_error_for_form(other_label=holder.full_name))
    return errors


def _clean_row(
    respondent_list: RespondentList, data: Mapping[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    result = validate_row(data, reference_date=respondent_list.campaign.list_reference_date)
    errors = list(result.errors)
    if not errors:
        errors = _check_duplicates_in_list(respondent_list, result.values, exclude_pk=exclude_pk)
    _raise_row_errors(errors)
    values = {name: result.values[name] for name in ROW_FIELDS}
    values["search_text"] = search_text(values)
    return values


@transaction.atomic
def respondent_create(
    *, actor: Actor, respondent_list: RespondentList, data: Mapping[str, Any]
) -> Respondent:
    """Add one row to a draft or returned list."""
    respondent_list = _locked(respondent_list)
    campaign_require_open(respondent_list)
    require(actor, "list.edit_rows", respondent_list)
    _check_status(respondent_list, EDITABLE_STATUSES)
    values = _clean_row(respondent_list, data)
    respondent = Respondent.objects.create(respondent_list=respondent_list, **values)
    audit_record(request_or_actor=actor, action=AuditAction.CREATE, obj=respondent)
    return respondent


@transaction.atomic
def respondent_update(
    *, actor: Actor, respondent: Respondent, data: Mapping[str, Any]
) -> Respondent:
    """Change one row of a draft or returned list."""
    respondent_list = _locked(respondent.respondent_list)
    campaign_require_open(respondent_list)
    require(actor, "list.edit_rows", respondent_list)
    _check_status(respondent_list, EDITABLE_STATUSES)
    values = _clean_row(respondent_list, data, exclude_pk=respondent.pk)
    for name, value in values.items():
        setattr(respondent, name, value)
    respondent.save()
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=respondent)
    return respondent


@transaction.atomic
def respondent_delete(*, actor: Actor, respondent: Respondent) -> None:
    """Remove one row of a draft or returned list."""
    respondent_list = _locked(respondent.respondent_list)
    campaign_require_open(respondent_list)
    require(actor, "list.edit_rows", respondent_list)
    _check_status(respondent_list, EDITABLE_STATUSES)
    audit_record(request_or_actor=actor, action=AuditAction.DELETE, obj=respondent)
    respondent.delete()


# --- lifecycle ---------------------------------------------------------------------


@transaction.atomic
def respondent_list_submit(*, actor: Actor, respondent_list: RespondentList) -> RespondentList:
    """Send a draft or returned list to the department; look for IINs other lists hold.

    Every row is checked again with the batch rules, so rows that arrived by another
    route (or before a rule changed) cannot slip through.
    """
    respondent_list = _locked(respondent_list)
    campaign_require_open(respondent_list)
    require(actor, "list.submit", respondent_list)
    _check_status(respondent_list, EDITABLE_STATUSES)
    rows = list(respondent_list.respondents.values(*ROW_FIELDS))
    if not rows:
        raise ValidationError(_("An empty list cannot be submitted."), code="list_empty")
    _results, errors = validate_rows(
        rows, reference_date=respondent_list.campaign.list_reference_date
    )
    if errors:
        bad_rows = len({error.row for error in errors})
        raise ValidationError(
            ngettext(
                "%(count)d row has errors; correct it before submitting.",
                "%(count)d rows have errors; correct them before submitting.",
                bad_rows,
            )
            % {"count": bad_rows},
            code="list_has_errors",
        )
    _transition(respondent_list, actor=actor, to_status=ListStatus.SUBMITTED)
    respondent_list.submitted_at = clock.now()
    respondent_list.review_comment = ""
    respondent_list.save(update_fields=["status", "submitted_at", "review_comment", "updated_at"])
    conflicts_detect(respondent_list=respondent_list)
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=respondent_list)
    return respondent_list


def _audit_decision(actor: Actor, respondent_list: RespondentList, decision: str) -> None:
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=respondent_list,
        extra={"decision": decision},
    )


@transaction.atomic
def respondent_list_accept(
    *, actor: Actor, respondent_list: RespondentList, comment: str = ""
) -> RespondentList:
    """The department accepts a submitted list; from now on only amendments change it."""
    campaign_require_open(respondent_list)
    require(actor, "list.review", respondent_list)
    respondent_list = _locked(respondent_list)
    _check_status(respondent_list, (ListStatus.SUBMITTED,))
    _transition(
        respondent_list, actor=actor, to_status=ListStatus.ACCEPTED, comment=comment.strip()
    )
    respondent_list.accepted_at = clock.now()
    respondent_list.save(update_fields=["status", "accepted_at", "updated_at"])
    hooks.listed_changed.send(RespondentList, respondent_list_ids=[respondent_list.pk])
    _audit_decision(actor, respondent_list, "accept")
    return respondent_list


@transaction.atomic
def respondent_list_return(
    *, actor: Actor, respondent_list: RespondentList, comment: str
) -> RespondentList:
    """The department sends a submitted list back to the institution, saying why."""
    campaign_require_open(respondent_list)
    require(actor, "list.review", respondent_list)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what must be corrected."), code="comment_required")}
        )
    respondent_list = _locked(respondent_list)
    _check_status(respondent_list, (ListStatus.SUBMITTED,))
    _transition(respondent_list, actor=actor, to_status=ListStatus.RETURNED, comment=comment)
    respondent_list.review_comment = comment
    respondent_list.save(update_fields=["status", "review_comment", "updated_at"])
    _audit_decision(actor, respondent_list, "return")
    return respondent_list


@transaction.atomic
def respondent_list_scan_attach(
    *, actor: Actor, respondent_list: RespondentList, file: UploadedFile
) -> SignedListScan:
    """File the scan of the signed paper list with a submitted or accepted list.

    An earlier scan is kept: the newest is the one shown, the others stay on record. The
    file is checked by its content and stored only after every other check passed.
    """
    campaign_require_open(respondent_list)
    require(actor, "list.attach_scan", respondent_list)
    respondent_list = _locked(respondent_list)
    _check_status(respondent_list, SCAN_STATUSES)
    try:
        stored = upload_store(file, prefix=SCAN_PREFIX, allowed=SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error}) from error
    scan = SignedListScan.objects.create(
        respondent_list=respondent_list,
        file=stored.name,
        content_type=CONTENT_TYPES[stored.kind],
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=scan,
        institution=respondent_list.institution_id,
    )
    return scan


# --- amendments --------------------------------------------------------------------


def _check_amendable(actor: Actor, respondent_list: RespondentList) -> None:
    campaign_require_open(respondent_list)
    require(actor, "list.edit_rows", respondent_list)
    _check_status(respondent_list, (ListStatus.ACCEPTED,))


def _check_amendment_date(respondent_list: RespondentList, day: Any, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise ValidationError({field: ValidationError(_("Enter a date."), code="date_invalid")})
    reference = respondent_list.campaign.list_reference_date
    if day <= reference or day > clock.today():
        raise ValidationError(
            {
                field: ValidationError(
                    _("The date must be after %(reference)s and not in the future.")
                    % {"reference": reference.strftime("%d.%m.%Y")},
                    code="amendment_date",
                )
            }
        )
    return day


@transaction.atomic
def respondent_add_arrival(
    *,
    actor: Actor,
    respondent_list: RespondentList,
    data: Mapping[str, Any],
    arrived_on: dt.date,
    comment: str = "",
) -> Respondent:
    """Add a person who arrived after the reference date to an accepted list."""
    respondent_list = _locked(respondent_list)
    _check_amendable(actor, respondent_list)
    arrived_on = _check_amendment_date(respondent_list, arrived_on, "arrived_on")
    values = _clean_row(respondent_list, data)
    respondent = Respondent.objects.create(
        respondent_list=respondent_list, arrived_on=arrived_on, **values
    )
    Amendment.objects.create(
        respondent_list=respondent_list,
        respondent=respondent,
        kind=AmendmentKind.ADDITION,
        effective_on=arrived_on,
        comment=comment.strip(),
        actor=actor,
    )
    conflicts_detect(respondent_list=respondent_list)
    hooks.listed_changed.send(RespondentList, respondent_list_ids=[respondent_list.pk])
    audit_record(request_or_actor=actor, action=AuditAction.CREATE, obj=respondent)
    return respondent


@transaction.atomic
def respondent_record_departure(
    *,
    actor: Actor,
    respondent: Respondent,
    departed_on: dt.date,
    reason: str,
    comment: str = "",
) -> Respondent:
    """Record that a person on an accepted list left or died after the reference date."""
    respondent_list = _locked(respondent.respondent_list)
    _check_amendable(actor, respondent_list)
    if respondent.departed_on is not None:
        raise ValidationError(
            _("This person's departure is already recorded."), code="already_departed"
        )
    departed_on = _check_amendment_date(respondent_list, departed_on, "departed_on")
    if respondent.arrived_on and departed_on < respondent.arrived_on:
        raise ValidationError(
            {
                "departed_on": ValidationError(
                    _("The person cannot leave before arriving."), code="amendment_date"
                )
            }
        )
    if reason not in DepartureReason.values:
        raise ValidationError(
            {"reason": ValidationError(_("Choose a reason."), code="choice_invalid")}
        )
    respondent.departed_on = departed_on
    respondent.departure_reason = reason
    respondent.save(update_fields=["departed_on", "departure_reason", "updated_at"])
    Amendment.objects.create(
        respondent_list=respondent_list,
        respondent=respondent,
        kind=AmendmentKind.DEPARTURE,
        effective_on=departed_on,
        reason=reason,
        comment=comment.strip(),
        actor=actor,
    )
    hooks.listed_changed.send(RespondentList, respondent_list_ids=[respondent_list.pk])
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=respondent,
        extra={"amendment": "departure"},
    )
    return respondent


# --- conflicts ---------------------------------------------------------------------


NAME_KEY_BATCH = 2000


def _name_keys_refresh(respondent_list: RespondentList) -> None:
    """The name keys of ``respondents.matching`` for this list's rows saved since their
    keys were computed (edited while the list was a draft or returned), and for every row
    of the campaign's submitted lists that has none yet. Python computes a row's keys once;
    pairs are found by the database."""
    RespondentNameKey.objects.filter(
        respondent__respondent_list=respondent_list,
        respondent__updated_at__gt=F("computed_at"),
    ).delete()
    missing = (
        Respondent.objects.filter(
            respondent_list__campaign_id=respondent_list.campaign_id, name_key__isnull=True
        )
        .exclude(respondent_list__status=ListStatus.DRAFT)
        .order_by()
        .values_list("pk", "surname", "given_name", "birth_date")
    )
    batch: list[RespondentNameKey] = []
    for pk, surname, given_name, birth_date in missing.iterator(chunk_size=NAME_KEY_BATCH):
        keys = matching.name_keys(surname, given_name, birth_date)
        batch.append(
            RespondentNameKey(respondent_id=pk, exact_key=keys.exact, variant_key=keys.variant)
        )
        if len(batch) >= NAME_KEY_BATCH:
            RespondentNameKey.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    RespondentNameKey.objects.bulk_create(batch, ignore_conflicts=True)


def _iin_conflicts(respondent_list: RespondentList) -> list[DuplicateIinConflict]:
    """Every IIN of this list that another institution's submitted list also holds."""
    others = (
        Respondent.objects.filter(
            respondent_list__campaign_id=respondent_list.campaign_id,
            iin__in=Respondent.objects.filter(respondent_list=respondent_list)
            .exclude(iin="")
            .values("iin"),
        )
        .exclude(respondent_list__institution_id=respondent_list.institution_id)
        .exclude(respondent_list__status=ListStatus.DRAFT)
        .values_list("pk", "iin", "respondent_list__institution_id")
    )
    pairs = list(others)
    if not pairs:
        return []
    mine = dict(
        Respondent.objects.filter(
            respondent_list=respondent_list, iin__in={iin for _pk, iin, _inst in pairs}
        ).values_list("iin", "pk")
    )
    own_institution = respondent_list.institution_id
    conflicts = []
    for other_pk, iin, other_institution in pairs:
        rows = sorted([(own_institution, mine[iin]), (other_institution, other_pk)])
        conflicts.append(
            DuplicateIinConflict(
                campaign_id=respondent_list.campaign_id,
                kind=ConflictKind.IIN,
                iin=iin,
                institution_a_id=rows[0][0],
                respondent_a_id=rows[0][1],
                institution_b_id=rows[1][0],
                respondent_b_id=rows[1][1],
            )
        )
    return conflicts


def _possible_conflicts(respondent_list: RespondentList) -> list[DuplicateIinConflict]:
    """Rows of this list and of another institution's submitted list whose name keys agree
    (``respondents.matching``: the variant key, which an exact match implies) while at least
    one of the two has no IIN; two IINs decide by themselves. The join is the database's;
    only the pairs it finds are read."""
    mine_keys = RespondentNameKey.objects.filter(
        respondent__respondent_list=respondent_list
    ).exclude(variant_key="")
    others = list(
        RespondentNameKey.objects.filter(
            respondent__respondent_list__campaign_id=respondent_list.campaign_id,
            variant_key__in=mine_keys.values("variant_key"),
        )
        .exclude(respondent__respondent_list__institution_id=respondent_list.institution_id)
        .exclude(respondent__respondent_list__status=ListStatus.DRAFT)
        .values_list(
            "respondent_id",
            "respondent__iin",
            "exact_key",
            "variant_key",
            "respondent__respondent_list__institution_id",
        )
    )
    if not others:
        return []
    mine: dict[str, list[tuple[int, str, str]]] = {}
    for pk, iin, exact, variant in mine_keys.filter(
        variant_key__in={other[3] for other in others}
    ).values_list("respondent_id", "respondent__iin", "exact_key", "variant_key"):
        mine.setdefault(variant, []).append((pk, iin, exact))
    own_institution = respondent_list.institution_id
    conflicts = []
    for other_pk, other_iin, other_exact, variant, other_institution in others:
        for own_pk, own_iin, own_exact in mine.get(variant, []):
            if own_iin and other_iin:
                continue
            rows = sorted(
                [
                    (own_institution, own_pk, matching.NameKeys(own_exact, variant)),
                    (other_institution, other_pk, matching.NameKeys(other_exact, variant)),
                ],
                key=lambda row: (row[0], row[1]),
            )
            conflicts.append(
                DuplicateIinConflict(
                    campaign_id=respondent_list.campaign_id,
                    kind=ConflictKind.POSSIBLE,
                    iin="",
                    evidence=matching.evidence(rows[0][2], rows[1][2]),
                    institution_a_id=rows[0][0],
                    respondent_a_id=rows[0][1],
                    institution_b_id=rows[1][0],
                    respondent_b_id=rows[1][1],
                )
            )
    return conflicts


def conflicts_detect(*, respondent_list: RespondentList) -> int:
    """Record every person of this list whom another institution's submitted list of the
    campaign also holds: the same IIN, or — for people without IIN — a possible duplicate
    by ``respondents.matching`` (surname + given name + birth date, exact or variant), with
    its evidence.

    The pairs are found set-wise by the database (not row by row); existing conflicts are
    kept as they are (a pair found again is the same conflict), so detection can run on
    every submission. Returns the number of new ones.
    """
    _name_keys_refresh(respondent_list)
    conflicts = _iin_conflicts(respondent_list) + _possible_conflicts(respondent_list)
    if not conflicts:
        return 0
    before = DuplicateIinConflict.objects.filter(campaign_id=respondent_list.campaign_id).count()
    DuplicateIinConflict.objects.bulk_create(conflicts, ignore_conflicts=True)
    return (
        DuplicateIinConflict.objects.filter(campaign_id=respondent_list.campaign_id).count()
        - before
    )


@transaction.atomic
def conflict_resolve(
    *, actor: Actor, conflict: DuplicateIinConflict, decision: str, note: str
) -> DuplicateIinConflict:
    """The department decides where a doubly listed person belongs; the rows stay as they are."""
    campaign_require_open(conflict)
    require(actor, "conflict.resolve", conflict)
    conflict = DuplicateIinConflict.objects.select_for_update().get(pk=conflict.pk)
    errors: dict[str, ValidationError] = {}
    if decision not in ConflictDecision.values:
        errors["decision"] = ValidationError(_("Choose a decision."), code="choice_invalid")
    if not note.strip():
        errors["note"] = ValidationError(_("Explain the decision in a note."), code="note_required")
    if errors:
        raise ValidationError(errors)
    if not conflict.is_open:
        raise ValidationError(_("This conflict is already resolved."), code="already_resolved")
    conflict.decision = decision
    conflict.note = note.strip()
    conflict.resolved_by = actor
    conflict.resolved_at = clock.now()
    conflict.save()
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=conflict,
        institution=conflict.institution_a_id,
        extra={"decision": decision},
    )
    return conflict
