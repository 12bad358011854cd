"""Writes of stage 2: enumeration outcomes (one or many at once) and participation certificates.

Every entry point — the officer's worklist, the bulk update, the REST batch endpoint and,
later, tablet sync — records outcomes through ``enumeration_record_batch``, so the rules
(method windows, who may override them, administration records) live only here. A whole
census-database export is recorded by ``enumeration_record_bulk``: the same rules for its
one kind of outcome, the same rows written, in set-based statements.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.scoping import scope_queryset
from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import allowed, require
from enumeration.choices import (
    EnumerationMethod,
    EnumerationSource,
    EnumerationStatus,
    NonEnumerationReason,
)
from enumeration.models import (
    Certificate,
    CertificateCounter,
    CertificatePrint,
    Enumeration,
    EnumerationChange,
)
from enumeration.progress_services import progress_refresh
from enumeration.selectors import LIST_PATH, critical_date, is_listed, listed_q
from institutions.campaigns import campaign_is_open, campaign_require_open
from institutions.models import Campaign, ResponsibleStaff
from institutions.selectors import campaign_get_active
from respondents.models import Respondent, RespondentList

REGISTRATION_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
ONLINE_METHODS = (EnumerationMethod.ONLINE_SELF, EnumerationMethod.ONLINE_ASSISTED)
# Methods where a responsible staff member did the work and must be named.
STAFF_METHODS = (EnumerationMethod.ONLINE_ASSISTED, EnumerationMethod.ADMIN_RECORDS)


@dataclass(frozen=True, kw_only=True)
class EnumerationUpdate:
    """The outcome to record for one person; fields not relevant to the status are cleared.

    The person is named by exactly one key: this app's ``respondent_id``, the person's
    ``iin``, or the ``external_ref`` the institution's own system gives the row.
    """

    respondent_id: int | None = None
    iin: str = ""
    external_ref: str = ""
    status: str
    method: str = ""
    reason: str = ""
    reason_detail: str = ""
    enumerated_on: dt.date | None = None
    staff_id: int | None = None
    tablet_kit_ref: str = ""
    registration_number: str = ""
    note: str = ""
    window_override_reason: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EnumerationUpdate:
        names = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        for key in (
            "reason_detail",
            "tablet_kit_ref",
            "registration_number",
            "note",
            "iin",
            "external_ref",
        ):
            values[key] = (values.get(key) or "").strip()
        values["window_override_reason"] = (values.get("window_override_reason") or "").strip()
        for key in ("method", "reason"):
            values[key] = values.get(key) or ""
        return cls(**values)


KEY_FIELDS = ("respondent_id", "iin", "external_ref")
VALUE_FIELDS = tuple(f.name for f in fields(EnumerationUpdate) if f.name not in KEY_FIELDS)


def method_window(campaign: Campaign, method: str) -> tuple[dt.date, dt.date]:
    """The dates a method may carry: its campaign window; the whole census period otherwise."""
    if method in ONLINE_METHODS:
        return campaign.online_start, campaign.online_end
    if method == EnumerationMethod.TABLET:
        return campaign.tablet_start, campaign.tablet_end
    return critical_date(campaign), max(campaign.online_end, campaign.tablet_end)


def _error(row: int | None, field: str, code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code, params={"row": row, "field": field})


def _clean(
    update: EnumerationUpdate,
    *,
    row: int | None,
    respondent: Respondent,
    may_override: bool,
    staff: Mapping[int, ResponsibleStaff],
    today: dt.date,
) -> tuple[dict[str, Any], list[ValidationError]]:
    """The values to store for one update, or the reasons it cannot be stored."""
    errors: list[ValidationError] = []
    campaign = respondent.respondent_list.campaign
    values: dict[str, Any] = dict.fromkeys(VALUE_FIELDS, "")
    values.update(enumerated_on=None, staff_id=None, note=update.note[:500])
    status = update.status
    if status not in EnumerationStatus.values:
        return values, [_error(row, "status", "invalid_status", _("Choose a valid status."))]
    values["status"] = status
    if respondent.has_certificate and status != EnumerationStatus.ENUMERATED:  # type: ignore[attr-defined]  # annotated by the caller
        errors.append(
            _error(
                row,
                "status",
                "certificate_issued",
                _("A certificate was issued to this person; the outcome cannot be withdrawn."),
            )
        )
    if status == EnumerationStatus.PENDING:
        return values, errors

    if status == EnumerationStatus.ENUMERATED:
        if update.method not in EnumerationMethod.values:
            errors.append(_error(row, "method", "method_required", _("Choose how it was done.")))
        values["method"] = update.method
        if update.registration_number:
            if not REGISTRATION_NUMBER.match(update.registration_number):
                errors.append(
                    _error(
                        row,
                        "registration_number",
                        "invalid_registration_number",
                        _("Use only Latin letters, digits and hyphens (up to 32)."),
                    )
                )
            values["registration_number"] = update.registration_number
        if update.method == EnumerationMethod.TABLET:
            values["tablet_kit_ref"] = update.tablet_kit_ref[:64]
        if update.method == EnumerationMethod.ADMIN_RECORDS and not update.reason_detail:
            errors.append(
                _error(
                    row,
                    "reason_detail",
                    "admin_records_reason_required",
                    _("Say why the person could not be interviewed."),
                )
            )
        if update.method == EnumerationMethod.ADMIN_RECORDS:
            values["reason_detail"] = update.reason_detail[:500]
    else:
        if update.reason not in NonEnumerationReason.values:
            errors.append(_error(row, "reason", "reason_required", _("Choose the reason.")))
        values["reason"] = update.reason
        if update.reason == NonEnumerationReason.OTHER and not update.reason_detail:
            errors.append(
                _error(row, "reason_detail", "reason_detail_required", _("Describe the reason."))
            )
        values["reason_detail"] = update.reason_detail[:500]

    if update.staff_id is not None:
        member = staff.get(update.staff_id)
        if member is None or member.institution_id != respondent.respondent_list.institution_id:
            errors.append(
                _error(
                    row,
                    "staff_id",
                    "invalid_staff",
                    _("Choose a responsible staff member of this institution."),
                )
            )
        values["staff_id"] = update.staff_id
    elif status == EnumerationStatus.ENUMERATED and update.method in STAFF_METHODS:
        errors.append(
            _error(
                row,
                "staff_id",
                "staff_required",
                _("Name the responsible staff member who did it."),
            )
        )

    day = update.enumerated_on
    if day is None:
        errors.append(_error(row, "enumerated_on", "date_required", _("Enter the date.")))
        return values, errors
    values["enumerated_on"] = day
    if day > today:
        errors.append(
            _error(row, "enumerated_on", "date_in_future", _("The date cannot be in the future."))
        )
    start, end = method_window(campaign, values["method"])
    if not start <= day <= end:
        if not update.window_override_reason:
            errors.append(
                _error(
                    row,
                    "enumerated_on",
                    "outside_window",
                    _("The date must fall between %(start)s and %(end)s.")
                    % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"},
                )
            )
        elif not may_override:
            errors.append(
                _error(
                    row,
                    "window_override_reason",
                    "override_not_allowed",
                    _("Only the department may accept a date outside the window."),
                )
            )
        else:
            values["window_override_reason"] = update.window_override_reason[:500]
    return values, errors


def _snapshot(enumeration: Enumeration | None) -> dict[str, Any]:
    if enumeration is None:
        return {}
    data = {name: getattr(enumeration, name) for name in VALUE_FIELDS}
    if data["enumerated_on"] is not None:
        data["enumerated_on"] = data["enumerated_on"].isoformat()
    return data


@transaction.atomic
def enumeration_record_batch(
    *,
    actor: Actor,
    updates: Sequence[EnumerationUpdate | Mapping[str, Any]],
    source: str = EnumerationSource.WEB,
    institution_id: int | None = None,
) -> list[Enumeration]:
    """Record many outcomes at once, all or nothing, in a constant number of queries.

    Every person must be listed for stage 2 and visible to the actor. Errors carry the
    position of the update in ``updates`` as ``params["row"]``. The progress counters of
    the lists concerned are recounted in the same transaction. ``institution_id`` confines
    the batch further to one institution's lists (a tablet sync records only the people of
    the institution holding the kit, whoever its holder's account belongs to).

    The batch is audited once, here, whichever entry point sent it (worklist, REST, sync):
    which people (ids, never names) and how many.
    """
    saved = _enumerations_save(
        actor=actor, updates=updates, source=source, institution_id=institution_id
    )
    if saved:
        institutions = {
            enumeration.respondent.respondent_list.institution_id for enumeration in saved
        }
        audit_record(
            request_or_actor=actor,
            action=AuditAction.CHANGE,
            object_type="respondents.respondent",
            record_count=len(saved),
            institution=institutions.pop() if len(institutions) == 1 else None,
            extra={
                "record": "enumeration",
                "respondent_ids": sorted(enumeration.respondent_id for enumeration in saved),
            },
        )
    return saved


def _keys_resolve(
    batch: Sequence[EnumerationUpdate], *, actor: Actor, institution_id: int | None
) -> tuple[list[EnumerationUpdate], list[ValidationError]]:
    """Each update with its ``respondent_id``, found from the IIN or external reference it
    gives instead; two queries for any batch size.

    A natural key is looked up among the listed people of the active campaign the actor
    may see (and of ``institution_id``); one that names nobody, or more than one person
    (the same IIN on two institutions' lists a department user sees), is a row error naming
    the key.
    """
    errors: list[ValidationError] = []
    wanted: dict[str, set[str]] = {"iin": set(), "external_ref": set()}
    for row, update in enumerate(batch):
        given = [name for name in KEY_FIELDS if getattr(update, name)]
        if len(given) != 1:
            errors.append(
                _error(
                    row,
                    "respondent_id",
                    "one_key_required",
                    _("Name the person by one key: respondent_id, iin or external_ref."),
                )
            )
        elif given[0] != "respondent_id":
            wanted[given[0]].add(getattr(update, given[0]))
    found: dict[str, dict[str, list[int]]] = {"iin": {}, "external_ref": {}}
    if wanted["iin"] or wanted["external_ref"]:
        people = scope_queryset(
            Respondent.objects.filter(listed_q(campaign_get_active())),
            user=actor,
            institution_path=LIST_PATH,
        )
        if institution_id is not None:
            people = people.filter(respondent_list__institution_id=institution_id)
        for name, keys in wanted.items():
            if keys:
                lookup: dict[str, Any] = {f"{name}__in": keys}
                for pk, key in people.filter(**lookup).values_list("pk", name):
                    found[name].setdefault(key, []).append(pk)
    resolved: list[EnumerationUpdate] = []
    for row, update in enumerate(batch):
        key_name = next((name for name in KEY_FIELDS[1:] if getattr(update, name)), None)
        if key_name is None or update.respondent_id is not None:
            resolved.append(update)
            continue
        name = key_name
        key = getattr(update, name)
        matches = found[name].get(key, [])
        if len(matches) == 1:
            resolved.append(replace(update, respondent_id=matches[0]))
            continue
        if not matches:
            message = (
                _("No listed person on your lists has the IIN %(key)s.")
                if name == "iin"
                else _("No listed person on your lists has the external reference %(key)s.")
            )
            errors.append(_error(row, name, "unknown_key", message % {"key": key}))
        else:
            message = (
                _("The IIN %(key)s names more than one listed person; use respondent_id.")
                if name == "iin"
                else _(
                    "The external reference %(key)s names more than one listed person; "
                    "use respondent_id."
                )
            )
            errors.append(_error(row, name, "ambiguous_key", message % {"key": key}))
    return resolved, errors


def _enumerations_save(
    *,
    actor: Actor,
    updates: Sequence[EnumerationUpdate | Mapping[str, Any]],
    source: str,
    institution_id: int | None,
) -> list[Enumeration]:
    """The writes of ``enumeration_record_batch`` and ``enumeration_record``, unaudited."""
    require(actor, "enumeration.record")
    may_override = allowed(actor, "enumeration.override_window")
    batch = [
        u if isinstance(u, EnumerationUpdate) else EnumerationUpdate.from_mapping(u)
        for u in updates
    ]
    if not batch:
        return []
    resolved, key_errors = _keys_resolve(batch, actor=actor, institution_id=institution_id)
    if key_errors:
        raise ValidationError(key_errors)
    batch = resolved
    ids = [u.respondent_id for u in batch if u.respondent_id is not None]
    candidates = Respondent.objects.filter(pk__in=ids)
    if institution_id is not None:
        candidates = candidates.filter(respondent_list__institution_id=institution_id)
    respondents: dict[int, Respondent] = {
        r.pk: r
        for r in scope_queryset(
            candidates.select_related("respondent_list__campaign").annotate(
                has_certificate=Exists(Certificate.objects.filter(respondent=OuterRef("pk")))
            ),
            user=actor,
            institution_path=LIST_PATH,
        )
    }
    existing = {
        e.respondent_id: e
        for e in Enumeration.objects.select_for_update().filter(respondent_id__in=ids)
    }
    staff_ids = {u.staff_id for u in batch if u.staff_id is not None}
    staff = (
        {s.pk: s for s in ResponsibleStaff.objects.filter(pk__in=staff_ids, is_active=True)}
        if staff_ids
        else {}
    )
    numbers = [u.registration_number for u in batch if u.registration_number]
    taken = (
        set(
            Enumeration.objects.filter(registration_number__in=numbers)
            .exclude(respondent_id__in=ids)
            .values_list("registration_number", flat=True)
        )
        if numbers
        else set()
    )
    today = clock.today()
    errors: list[ValidationError] = []
    cleaned: list[tuple[Respondent, dict[str, Any]]] = []
    seen_ids: set[int] = set()
    seen_numbers: set[str] = set()
    for row, update in enumerate(batch):
        respondent = (
            respondents.get(update.respondent_id) if update.respondent_id is not None else None
        )
        if respondent is None or update.respondent_id is None:
            errors.append(
                _error(
                    row, "respondent_id", "unknown_respondent", _("No such person on your lists.")
                )
            )
            continue
        if not campaign_is_open(respondent.respondent_list):
            errors.append(
                _error(
                    row,
                    "respondent_id",
                    "campaign_closed",
                    _("This person's campaign is closed: outcomes can no longer be recorded."),
                )
            )
            continue
        if not is_listed(respondent):
            errors.append(
                _error(
                    row,
                    "respondent_id",
                    "not_listed",
                    _("This person is not on an accepted list as of the critical moment."),
                )
            )
            continue
        if update.respondent_id in seen_ids:
            errors.append(
                _error(row, "respondent_id", "duplicate_update", _("This person appears twice."))
            )
            continue
        seen_ids.add(update.respondent_id)
        values, row_errors = _clean(
            update,
            row=row,
            respondent=respondent,
            may_override=may_override,
            staff=staff,
            today=today,
        )
        number = values.get("registration_number")
        if number and (number in taken or number in seen_numbers):
            row_errors.append(
                _error(
                    row,
                    "registration_number",
                    "registration_number_taken",
                    _("This registration number is already recorded for another person."),
                )
            )
        seen_numbers.add(number or "")
        errors.extend(row_errors)
        cleaned.append((respondent, values))
    if errors:
        raise ValidationError(errors)

    to_create: list[Enumeration] = []
    to_update: list[Enumeration] = []
    befores: list[dict[str, Any]] = []
    saved: list[Enumeration] = []
    for respondent, values in cleaned:
        enumeration = existing.get(respondent.pk)
        befores.append(_snapshot(enumeration))
        if enumeration is None:
            enumeration = Enumeration(respondent=respondent)
            to_create.append(enumeration)
        else:
            enumeration.respondent = respondent  # with its list, for the audit's institution
            to_update.append(enumeration)
        previous_override = enumeration.window_override_reason
        for name, value in values.items():
            setattr(enumeration, name, value)
        if (
            values["window_override_reason"]
            and values["window_override_reason"] != previous_override
        ):
            enumeration.window_override_by = actor
        elif not values["window_override_reason"]:
            enumeration.window_override_by = None
        enumeration.updated_by = actor
        enumeration.source = source
        saved.append(enumeration)
    try:
        Enumeration.objects.bulk_create(to_create)
    except IntegrityError as exc:  # another request created the same row a moment ago
        raise ValidationError(
            _("Someone else changed these people at the same moment; try again."),
            code="concurrent_change",
        ) from exc
    if to_update:
        now = clock.now()
        for enumeration in to_update:
            enumeration.updated_at = now
        Enumeration.objects.bulk_update(
            to_update,
            [*VALUE_FIELDS, "window_override_by", "updated_by", "source", "updated_at"],
        )
    EnumerationChange.objects.bulk_create(
        [
            EnumerationChange(
                enumeration=enumeration,
                actor=actor,
                source=source,
                before=before,
                after=_snapshot(enumeration),
            )
            for enumeration, before in zip(saved, befores, strict=True)
        ]
    )
    progress_refresh(
        respondent_list_ids={respondent.respondent_list_id for respondent, _values in cleaned}
    )
    return saved


@transaction.atomic
def enumeration_record(
    *, actor: Actor, update: EnumerationUpdate, source: str = EnumerationSource.WEB
) -> Enumeration:
    """Record one person's outcome (the worklist's quick update), audited on the person."""
    enumeration = _enumerations_save(
        actor=actor, updates=[update], source=source, institution_id=None
    )[0]
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=enumeration.respondent,
        extra={"record": "enumeration"},
    )
    return enumeration


# --- participation certificates (¶8) ---------------------------------------------------


@transaction.atomic
def certificate_issue(*, actor: Actor, respondent: Respondent) -> Certificate:
    """Give an enumerated person the campaign's next certificate number.

    The campaign's counter row is locked first, so concurrent issuers queue on it and the
    numbers stay unique and without gaps (a rolled-back issue also rolls back the counter).
    Issuing again to the same person returns the certificate already issued.
    """
    campaign_require_open(respondent)
    require(actor, "certificate.issue", respondent)
    campaign = respondent.respondent_list.campaign
    counter, _created = CertificateCounter.objects.select_for_update().get_or_create(
        campaign=campaign
    )
    existing = Certificate.objects.filter(respondent=respondent).first()
    if existing is not None:
        return existing
    enumeration = Enumeration.objects.filter(respondent=respondent).first()
    if enumeration is None or enumeration.status != EnumerationStatus.ENUMERATED:
        raise ValidationError(
            _("A certificate is issued only to a person who has been enumerated."),
            code="not_enumerated",
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    certificate = Certificate.objects.create(
        campaign=campaign,
        number=counter.last_number,
        respondent=respondent,
        issued_on=clock.today(),
        issued_by=actor,
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=certificate,
        institution=respondent.respondent_list.institution_id,
    )
    return certificate


@transaction.atomic
def certificate_print(*, actor: Actor, certificate: Certificate, language: str) -> CertificatePrint:
    """Record a printing; every printing after the first in the same language is marked as
    a duplicate (the same certificate in the second language is a translation, not a copy)."""
    require(actor, "certificate.view", certificate)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    return CertificatePrint.objects.create(
        certificate=locked,
        language=language,
        is_duplicate=locked.prints.filter(language=language).exists(),
        printed_by=actor,
    )


# --- outcomes of a whole export at once (the census database) ---------------------------

# The table ``enumeration_record_bulk`` reads: one row per outcome to record, filled by the
# caller (``INSERT … SELECT``); ``refusal``, ``enumeration_id`` and ``before`` are the
# service's (the last two: the person's outcome as it was, where there was one).
# ``row_id`` is the caller's own key (a census record's id).
BULK_TABLE_SQL = (
    "row_id bigint NOT NULL, respondent_id bigint NOT NULL, method varchar(16) NOT NULL, "
    "enumerated_on date NOT NULL, tablet_kit_ref varchar(64) NOT NULL DEFAULT '', "
    "registration_number varchar(32) NOT NULL DEFAULT '', "
    "window_override_reason varchar(500) NOT NULL DEFAULT '', "
    "refusal varchar(500), enumeration_id bigint, before jsonb"
)


@dataclass(frozen=True)
class BulkOutcome:
    """What ``enumeration_record_bulk`` did: outcomes created and updated, rows refused."""

    created: int = 0
    updated: int = 0
    refused: int = 0

    @property
    def recorded(self) -> int:
        return self.created + self.updated


def enumeration_bulk_table(name: str) -> None:
    """Create (afresh) the temporary table of outcomes ``enumeration_record_bulk`` reads."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({BULK_TABLE_SQL})")


def _snapshot_sql(alias: str) -> str:
    """``_snapshot`` of the enumeration row ``alias`` as one ``jsonb`` expression."""
    parts = []
    for name in VALUE_FIELDS:
        column = f"{alias}.{Enumeration._meta.get_field(name.removesuffix('_id')).column}"  # type: ignore[union-attr]  # concrete fields
        value = f"to_char({column}, 'YYYY-MM-DD')" if name == "enumerated_on" else column
        parts.append(f"'{name}', {value}")
    return f"jsonb_build_object({', '.join(parts)})"


def _bulk_refuse(
    cursor: Any, table: str, condition: str, message: str, params: Sequence[Any] = ()
) -> None:
    """Refuse, with ``message``, the rows not refused yet that meet ``condition``."""
    cursor.execute(
        f"UPDATE {table} t SET refusal = %s WHERE t.refusal IS NULL AND ({condition})",  # noqa: S608
        [message[:500], *params],
    )


@transaction.atomic
def enumeration_record_bulk(
    *,
    actor: Actor,
    campaign: Campaign,
    table: str,
    source: str = EnumerationSource.CENSUS_DB,
) -> BulkOutcome:
    """Record "enumerated" outcomes for every row of ``table`` (``enumeration_bulk_table``)
    in a constant number of set-based statements, whatever the number of rows.

    The rules are ``enumeration_record_batch``'s for such an outcome (the person listed in
    ``campaign`` and visible to the actor, the campaign open, the person once, a method
    that needs no staff member, no future date, the method's window or an override reason
    only the department may give, a valid registration number nobody else holds) plus one
    more: **never over an officer** — an outcome recorded through another source than
    ``source`` (and not pending) is left as it is. A row breaking a rule is not recorded:
    its ``refusal`` says why (the batch's message); the other rows are recorded. The same
    data as the batch is written: the outcome rows, one ``EnumerationChange`` per outcome
    (before and after), the lists' progress counters recounted; one audit event for the
    whole table, with the counts.
    """
    require(actor, "enumeration.record")
    may_override = allowed(actor, "enumeration.override_window")
    enumeration, change = Enumeration._meta.db_table, EnumerationChange._meta.db_table
    respondent = Respondent._meta.db_table
    visible = (
        scope_queryset(
            Respondent.objects.filter(listed_q(campaign)), user=actor, institution_path=LIST_PATH
        )
        .order_by()
        .values("pk")
    )
    visible_sql, visible_params = visible.query.sql_with_params()
    anyone = (
        scope_queryset(Respondent.objects.all(), user=actor, institution_path=LIST_PATH)
        .order_by()
        .values("pk")
    )
    anyone_sql, anyone_params = anyone.query.sql_with_params()
    today, now = clock.today(), clock.now()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX ON {table} (respondent_id)")
        cursor.execute(f"CREATE INDEX ON {table} (row_id)")
        cursor.execute(f"ANALYZE {table}")
        _bulk_refuse(
            cursor,
            table,
            f"NOT EXISTS (SELECT 1 FROM ({anyone_sql}) v WHERE v.pk = t.respondent_id)",  # noqa: S608
            _("No such person on your lists."),
            anyone_params,
        )
        if not campaign_is_open(campaign):
            _bulk_refuse(
                cursor,
                table,
                "true",
                _("This person's campaign is closed: outcomes can no longer be recorded."),
            )
        _bulk_refuse(
            cursor,
            table,
            f"NOT EXISTS (SELECT 1 FROM ({visible_sql}) v WHERE v.pk = t.respondent_id)",  # noqa: S608
            _("This person is not on an accepted list as of the critical moment."),
            visible_params,
        )
        _bulk_refuse(
            cursor,
            table,
            f"t.row_id IN (SELECT row_id FROM (SELECT row_id, row_number() OVER ("  # noqa: S608
            f"PARTITION BY respondent_id ORDER BY row_id) AS n FROM {table} "
            "WHERE refusal IS NULL) x WHERE x.n > 1)",
            _("This person appears twice."),
        )
        # The checks of a row's own values, in the batch's order, in one pass (the first
        # that fails gives the refusal); a department's override reason is kept only
        # where the date needs it. Only the rows refused or cleared are rewritten.
        refusals: list[str] = []
        refusal_params: list[Any] = []

        def refuse_when(condition: str, message: str, params: Sequence[Any] = ()) -> None:
            refusals.append(f"WHEN {condition} THEN %s")
            refusal_params.extend([*params, message[:500]])

        refuse_when(
            "NOT (t.method = ANY(%s))",
            _("Choose how it was done."),
            [[m for m in EnumerationMethod.values if m not in STAFF_METHODS]],
        )
        refuse_when(
            "t.registration_number <> '' AND t.registration_number !~ '^[A-Za-z0-9-]{1,32}$'",
            _("Use only Latin letters, digits and hyphens (up to 32)."),
        )
        refuse_when("t.enumerated_on > %s", _("The date cannot be in the future."), [today])
        cleared: list[str] = []
        cleared_params: list[Any] = []
        for method in EnumerationMethod.values:
            start, end = method_window(campaign, method)
            outside = "(t.method = %s AND NOT (t.enumerated_on BETWEEN %s AND %s))"
            window: list[Any] = [method, start, end]
            refuse_when(
                f"{outside} AND t.window_override_reason = ''",
                _("The date must fall between %(start)s and %(end)s.")
                % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"},
                window,
            )
            if may_override:
                cleared.append(
                    "(t.method = %s AND t.enumerated_on BETWEEN %s AND %s "
                    "AND t.window_override_reason <> '')"
                )
                cleared_params += window
            else:
                refuse_when(
                    outside, _("Only the department may accept a date outside the window."), window
                )
        refusal = f"CASE {' '.join(refusals)} END"
        clear = " OR ".join(cleared) or "false"
        cursor.execute(
            f"UPDATE {table} t SET refusal = COALESCE(t.refusal, {refusal}), "  # noqa: S608
            f"window_override_reason = CASE WHEN {clear} THEN '' "
            "ELSE t.window_override_reason END "
            f"WHERE (t.refusal IS NULL AND {refusal} IS NOT NULL) OR {clear}",
            [*refusal_params, *cleared_params, *refusal_params, *cleared_params],
        )
        taken = _("This registration number is already recorded for another person.")
        _bulk_refuse(
            cursor,
            table,
            f"t.registration_number <> '' AND EXISTS (SELECT 1 FROM {enumeration} e "  # noqa: S608
            "WHERE e.registration_number = t.registration_number AND e.registration_number <> '' "
            "AND e.respondent_id <> t.respondent_id "
            f"AND NOT EXISTS (SELECT 1 FROM {table} y WHERE y.respondent_id = e.respondent_id))",
            taken,
        )
        _bulk_refuse(
            cursor,
            table,
            f"t.row_id IN (SELECT row_id FROM (SELECT row_id, row_number() OVER ("  # noqa: S608
            f"PARTITION BY registration_number ORDER BY row_id) AS n FROM {table} "
            "WHERE refusal IS NULL AND registration_number <> '') x WHERE x.n > 1)",
            taken,
        )
        # Never over an officer: the existing outcomes, locked, and their "before".
        cursor.execute(
            f"UPDATE {table} t SET enumeration_id = e.id, before = e.snapshot FROM ("  # noqa: S608
            f"SELECT e.id, e.respondent_id, e.status, e.source, {_snapshot_sql('e')} AS snapshot "
            f"FROM {enumeration} e WHERE e.respondent_id IN (SELECT respondent_id FROM {table}) "
            "FOR UPDATE OF e) e WHERE e.respondent_id = t.respondent_id"
        )
        _bulk_refuse(
            cursor,
            table,
            f"EXISTS (SELECT 1 FROM {enumeration} e WHERE e.id = t.enumeration_id "  # noqa: S608
            "AND e.status <> %s AND e.source <> %s)",
            _("An officer recorded this person's outcome; it is not overwritten."),
            [EnumerationStatus.PENDING, source],
        )
        values = (
            "status = %s, method = t.method, reason = '', reason_detail = '', "
            "enumerated_on = t.enumerated_on, staff_id = NULL, "
            "tablet_kit_ref = CASE WHEN t.method = %s THEN t.tablet_kit_ref ELSE '' END, "
            "registration_number = t.registration_number, note = '', "
            "window_override_reason = t.window_override_reason, "
        )
        # Each write and its change history in one statement: the history's "after" is the
        # row the write returns (no second read of the outcomes), its "before" the snapshot
        # taken above ('{}' for a new outcome).
        cursor.execute(
            f"WITH changed AS (UPDATE {enumeration} e SET {values}"  # noqa: S608
            "window_override_by_id = CASE WHEN t.window_override_reason = '' THEN NULL "
            "WHEN t.window_override_reason <> e.window_override_reason THEN %s "
            "ELSE e.window_override_by_id END, "
            "updated_by_id = %s, source = %s, updated_at = %s "
            f"FROM {table} t WHERE e.id = t.enumeration_id AND t.refusal IS NULL "
            "RETURNING e.*, t.before AS snapshot_before) "
            f"INSERT INTO {change} (enumeration_id, actor_id, at, source, before, after) "
            "SELECT c.id, %s, %s, %s, COALESCE(c.snapshot_before, '{}'::jsonb), "
            f"{_snapshot_sql('c')} FROM changed c",
            [EnumerationStatus.ENUMERATED, EnumerationMethod.TABLET, actor.pk, actor.pk,
             source, now, actor.pk, now, source],
        )  # fmt: skip
        updated = cursor.rowcount
        cursor.execute(
            f"WITH made AS (INSERT INTO {enumeration} (respondent_id, status, method, reason, "  # noqa: S608
            "reason_detail, enumerated_on, staff_id, tablet_kit_ref, registration_number, note, "
            "window_override_reason, window_override_by_id, updated_by_id, source, created_at, "
            "updated_at) SELECT t.respondent_id, %s, t.method, '', '', t.enumerated_on, NULL, "
            "CASE WHEN t.method = %s THEN t.tablet_kit_ref ELSE '' END, t.registration_number, "
            "'', t.window_override_reason, "
            "CASE WHEN t.window_override_reason = '' THEN NULL ELSE %s END, %s, %s, %s, %s "
            f"FROM {table} t WHERE t.enumeration_id IS NULL AND t.refusal IS NULL "
            "RETURNING *) "
            f"INSERT INTO {change} (enumeration_id, actor_id, at, source, before, after) "
            f"SELECT m.id, %s, %s, %s, '{{}}'::jsonb, {_snapshot_sql('m')} FROM made m",
            [EnumerationStatus.ENUMERATED, EnumerationMethod.TABLET, actor.pk, actor.pk,
             source, now, now, actor.pk, now, source],
        )  # fmt: skip
        created = cursor.rowcount
        cursor.execute(
            f"SELECT DISTINCT p.respondent_list_id FROM {table} t JOIN {respondent} p "  # noqa: S608
            "ON p.id = t.respondent_id WHERE t.refusal IS NULL"
        )
        list_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE refusal IS NOT NULL")  # noqa: S608
        refused = cursor.fetchone()[0]
    progress_refresh(respondent_list_ids=list_ids)
    outcome = BulkOutcome(created=created, updated=updated, refused=refused)
    if outcome.recorded:
        institutions = set(
            RespondentList.objects.filter(pk__in=list_ids).values_list("institution_id", flat=True)
        )
        audit_record(
            request_or_actor=actor,
            action=AuditAction.CHANGE,
            object_type="respondents.respondent",
            record_count=outcome.recorded,
            institution=institutions.pop() if len(institutions) == 1 else None,
            extra={
                "record": "enumeration",
                "source": source,
                "created": created,
                "updated": updated,
                "refused": refused,
                "lists": len(list_ids),
            },
        )
    return outcome
