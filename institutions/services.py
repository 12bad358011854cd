"""Writes on institutions' responsible staff, their training and provisioning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_access_end
from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import require
from census_coord.uploads import CONTENT_TYPES, JPEG, PDF, PNG, upload_store
from institutions.campaigns import campaign_require_open
from institutions.choices import ReportState
from institutions.models import (
    AppointmentOrder,
    Institution,
    Provisioning,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
)
from institutions.models.reporting import ReportedByInstitution

# The head's signed order is scanned or photographed, like a signed act.
ORDER_SCAN_KINDS = (PDF, JPEG, PNG)
ORDER_SCAN_PREFIX = "institutions/orders"


def _set_password_url(*, user: User, base_url: str) -> str:
    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def staff_invite_officer(*, actor: Actor, staff: ResponsibleStaff, base_url: str) -> User:
    """Create the officer account of a staff member and email a set-password link.

    The account has no usable password until the officer sets one through the link, so
    nobody else ever knows it. The email goes out only once the account is committed.
    """
    staff = ResponsibleStaff.objects.select_for_update().get(pk=staff.pk)
    campaign_require_open(staff)
    if staff.user_id is not None:
        raise ValidationError(
            _("%(name)s already has an account.") % {"name": staff.full_name},
            code="staff_has_account",
        )
    if not staff.is_active:
        raise ValidationError(
            _("%(name)s is no longer active; reactivate the record first.")
            % {"name": staff.full_name},
            code="staff_inactive",
        )
    email = staff.email.strip().lower()
    if not email:
        raise ValidationError(
            _("Give %(name)s an email address to send the invitation to.")
            % {"name": staff.full_name},
            code="staff_email_missing",
        )
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError(
            _("An account with the username %(email)s already exists.") % {"email": email},
            code="username_taken",
        )
    first_name, _space, last_name = staff.full_name.partition(" ")
    user = User(
        username=email,
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        institution_id=staff.institution_id,
        region_id=None,
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=Role.OFFICER))
    staff.user = user
    staff.save(update_fields=["user"])
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        institution=staff.institution_id,
        extra={"staff": staff.pk},
    )

    url = _set_password_url(user=user, base_url=base_url)
    with translation.override(user.language):
        subject = _("Census coordination: your officer account")
        body = render_to_string(
            "institutions/email/officer_invite.txt",
            {"user": user, "staff": staff, "institution": staff.institution, "url": url},
        )
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return user


@transaction.atomic
def staff_deactivate(
    *, actor: Actor, staff: ResponsibleStaff, end_date: dt.date | None = None
) -> ResponsibleStaff:
    """End a staff member's appointment; their account loses access at once."""
    staff = ResponsibleStaff.objects.select_for_update().get(pk=staff.pk)
    campaign_require_open(staff)
    end_date = end_date or clock.today()
    if staff.active_from and end_date < staff.active_from:
        raise ValidationError(
            _("The appointment cannot end before it started."), code="staff_end_before_start"
        )
    staff.is_active = False
    staff.active_to = end_date
    staff.save(update_fields=["is_active", "active_to"])
    if staff.user is not None:
        user_access_end(user=staff.user)
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=staff, extra={"active": False}
    )
    return staff


@transaction.atomic
def seminar_attendance_record(
    *,
    actor: Actor,
    seminar: Seminar,
    staff: ResponsibleStaff,
    attended: bool = True,
    note: str = "",
) -> SeminarAttendance:
    """Record (or correct) whether a staff member attended a seminar."""
    campaign_require_open(seminar)
    if staff.campaign_id != seminar.campaign_id:
        raise ValidationError(
            _("Choose a staff member appointed for this seminar's campaign."),
            code="staff_of_other_campaign",
        )
    if seminar.date > clock.today() and attended:
        raise ValidationError(
            _("Attendance can be recorded only once the seminar has taken place."),
            code="seminar_in_future",
        )
    attendance, _created = SeminarAttendance.objects.update_or_create(
        seminar=seminar,
        staff=staff,
        defaults={
            "attended": attended,
            "note": note.strip(),
            # The Department's own record: confirmed at once.
            "report_state": ReportState.CONFIRMED,
            "review_comment": "",
        },
    )
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=attendance)
    return attendance


@transaction.atomic
def provisioning_record(
    *,
    actor: Actor,
    staff: ResponsibleStaff,
    premises_provided: bool,
    premises_date: dt.date | None = None,
    premises_note: str = "",
    computer_provided: bool,
    computer_date: dt.date | None = None,
    computer_note: str = "",
) -> Provisioning:
    """Record what premises and computer a staff member has been given (¶7); the
    Department's own record, confirmed at once."""
    campaign_require_open(staff)
    provisioning = _provisioning_fill(
        staff=staff,
        premises_provided=premises_provided,
        premises_date=premises_date,
        premises_note=premises_note,
        computer_provided=computer_provided,
        computer_date=computer_date,
        computer_note=computer_note,
    )
    provisioning.report_state = ReportState.CONFIRMED
    provisioning.review_comment = ""
    provisioning.full_clean()
    provisioning.save()
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=provisioning)
    return provisioning


def _provisioning_fill(
    *,
    staff: ResponsibleStaff,
    premises_provided: bool,
    premises_date: dt.date | None,
    premises_note: str,
    computer_provided: bool,
    computer_date: dt.date | None,
    computer_note: str,
) -> Provisioning:
    provisioning = Provisioning.objects.select_for_update().filter(
        staff=staff
    ).first() or Provisioning(staff=staff, campaign=staff.campaign)
    provisioning.premises_provided = premises_provided
    provisioning.premises_date = premises_date if premises_provided else None
    provisioning.premises_note = premises_note.strip()
    provisioning.computer_provided = computer_provided
    provisioning.computer_date = computer_date if computer_provided else None
    provisioning.computer_note = computer_note.strip()
    return provisioning


@transaction.atomic
def institutions_set_active(*, actor: Actor, institutions: Any, active: bool) -> int:
    """Mark institutions active or inactive (inactive ones stay on record)."""
    changed = institutions.exclude(is_active=active).update(
        is_active=active, updated_at=clock.wall_now()
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        object_type="institutions.institution",
        record_count=changed,
        extra={"active": active},
    )
    return changed


@transaction.atomic
def seminar_create(
    *,
    actor: Actor,
    campaign: Any,
    date: dt.date,
    topics: str,
    conducted_by: User,
    place: str = "",
    is_online: bool = False,
) -> Seminar:
    """Schedule a seminar for responsible staff (¶6)."""
    campaign_require_open(campaign)
    seminar = Seminar(
        campaign=campaign,
        date=date,
        topics=topics.strip(),
        conducted_by=conducted_by,
        place=place.strip(),
        is_online=is_online,
    )
    seminar.full_clean()
    seminar.save()
    audit_record(request_or_actor=actor, action=AuditAction.CREATE, obj=seminar)
    return seminar


# --- What the institution reports about its staff (¶5–7) --------------------------------


def _audit_reported(actor: Actor, item: ReportedByInstitution, *, adding: bool) -> None:
    """The institution reported ``item`` (new, or corrected after a return)."""
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE if adding else AuditAction.CHANGE,
        obj=item,
        extra={"step": "reported"},
    )


def _mark_reported(item: ReportedByInstitution, *, actor: Actor) -> None:
    """The institution reports the item (again, after a return): it waits for review."""
    item.report_state = ReportState.REPORTED
    item.reported_by = actor
    item.reported_at = clock.now()


def _refuse_confirmed(item: ReportedByInstitution) -> None:
    if not item._state.adding and not item.can_be_corrected:
        raise ValidationError(
            _("The Department has confirmed this; ask the Department to change it."),
            code="report_confirmed",
        )


@transaction.atomic
def appointment_order_report(
    *,
    actor: Actor,
    institution: Institution,
    number: str,
    date: dt.date,
    signed_by: str,
    scan: UploadedFile | None = None,
    order: AppointmentOrder | None = None,
) -> AppointmentOrder:
    """Report the head's appointment order with its signed scan (¶5), or correct a
    reported or returned one (a new scan replaces the old one; without one, it stays)."""
    if order is not None:
        order = AppointmentOrder.objects.select_for_update().get(pk=order.pk)
        institution = order.institution
    else:
        order = AppointmentOrder(institution=institution)
    campaign_require_open(order)
    require(actor, "staff.report", institution)
    _refuse_confirmed(order)
    if date > clock.today():
        raise ValidationError(
            {"date": _("An order cannot be dated in the future.")}, code="order_in_future"
        )
    order.number = number.strip()
    order.date = date
    order.signed_by = signed_by.strip()
    if scan is None and not order.scan:
        raise ValidationError(
            {"scan": _("Attach the scan of the signed order.")}, code="order_scan_missing"
        )
    adding = order._state.adding
    _mark_reported(order, actor=actor)
    order.full_clean()
    # Stored last, after every other check: a refused order leaves no file behind.
    if scan is not None:
        try:
            stored = upload_store(scan, prefix=ORDER_SCAN_PREFIX, allowed=ORDER_SCAN_KINDS)
        except ValidationError as error:
            raise ValidationError({"scan": error}) from error
        order.scan.name = stored.name
        order.scan_type = CONTENT_TYPES[stored.kind]
    order.save()
    # Staff appointed by the order repeat its details (acts and imports read them there).
    order.staff.update(
        order_number=order.number, order_date=order.date, appointed_by=order.signed_by
    )
    _audit_reported(actor, order, adding=adding)
    return order


@transaction.atomic
def staff_report(
    *,
    actor: Actor,
    order: AppointmentOrder,
    full_name: str,
    position: str = "",
    phone: str = "",
    census_role: str = "",
    staff: ResponsibleStaff | None = None,
) -> ResponsibleStaff:
    """Report a staff member the order appoints (¶5), or correct a reported or returned
    one. The staff member counts as appointed once the Department confirms them."""
    if staff is not None:
        staff = ResponsibleStaff.objects.select_for_update().get(pk=staff.pk)
    else:
        staff = ResponsibleStaff(
            institution=order.institution, campaign=order.campaign, active_from=order.date
        )
    campaign_require_open(staff)
    require(actor, "staff.report", staff.institution)
    if order.institution_id != staff.institution_id:
        raise ValidationError(
            {"order": _("Choose an order of this institution.")}, code="order_elsewhere"
        )
    _refuse_confirmed(staff)
    adding = staff._state.adding
    staff.order = order
    staff.order_number, staff.order_date = order.number, order.date
    staff.appointed_by = order.signed_by
    staff.full_name = full_name.strip()
    staff.position = position.strip()
    staff.phone = phone.strip()
    staff.census_role = census_role.strip()
    _mark_reported(staff, actor=actor)
    staff.full_clean()
    staff.save()
    _audit_reported(actor, staff, adding=adding)
    return staff


@transaction.atomic
def provisioning_report(
    *,
    actor: Actor,
    staff: ResponsibleStaff,
    premises_provided: bool,
    premises_date: dt.date | None = None,
    premises_note: str = "",
    computer_provided: bool,
    computer_date: dt.date | None = None,
    computer_note: str = "",
) -> Provisioning:
    """Report the premises and computer the institution provided a staff member (¶7)."""
    campaign_require_open(staff)
    require(actor, "staff.report", staff)
    provisioning = _provisioning_fill(
        staff=staff,
        premises_provided=premises_provided,
        premises_date=premises_date,
        premises_note=premises_note,
        computer_provided=computer_provided,
        computer_date=computer_date,
        computer_note=computer_note,
    )
    _refuse_confirmed(provisioning)
    today = clock.today()
    errors = {
        name: _("A date cannot be in the future.")
        for name in ("premises_date", "computer_date")
        if getattr(provisioning, name) and getattr(provisioning, name) > today
    }
    if errors:
        raise ValidationError(errors, code="provisioning_in_future")
    adding = provisioning._state.adding
    _mark_reported(provisioning, actor=actor)
    provisioning.full_clean()
    provisioning.save()
    _audit_reported(actor, provisioning, adding=adding)
    return provisioning


@transaction.atomic
def seminar_sign_up(
    *, actor: Actor, seminar: Seminar, staff: ResponsibleStaff
) -> SeminarAttendance:
    """Register a staff member for an upcoming seminar (the attendance sheet lists them)."""
    campaign_require_open(seminar)
    require(actor, "seminar.sign_up", staff)
    if seminar.date <= clock.today():
        raise ValidationError(
            _("Sign-up closes on the day of the seminar."), code="seminar_sign_up_closed"
        )
    if not staff.is_active:
        raise ValidationError(
            _("%(name)s is no longer active.") % {"name": staff.full_name}, code="staff_inactive"
        )
    attendance, created = SeminarAttendance.objects.get_or_create(
        seminar=seminar, staff=staff, defaults={"attended": False}
    )
    if created:
        audit_record(
            request_or_actor=actor,
            action=AuditAction.CREATE,
            obj=attendance,
            extra={"step": "signed_up", "seminar": seminar.pk},
        )
    return attendance


@transaction.atomic
def seminar_sign_up_cancel(*, actor: Actor, attendance: SeminarAttendance) -> None:
    """Withdraw a staff member from a seminar that has not taken place yet."""
    attendance = (
        SeminarAttendance.objects.select_for_update(of=("self",))
        .select_related("seminar", "staff__institution")
        .get(pk=attendance.pk)
    )
    campaign_require_open(attendance)
    require(actor, "seminar.sign_up", attendance)
    if attendance.seminar.date <= clock.today():
        raise ValidationError(
            _("A sign-up can be cancelled only before the seminar."),
            code="seminar_cancel_closed",
        )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.DELETE,
        obj=attendance,
        extra={"step": "sign_up_cancelled", "seminar": attendance.seminar_id},
    )
    attendance.delete()


@transaction.atomic
def seminar_attendance_report(*, actor: Actor, attendance: SeminarAttendance) -> SeminarAttendance:
    """Report that a registered staff member attended the seminar (¶6), once it was held;
    it counts as training once the Department confirms it."""
    attendance = (
        SeminarAttendance.objects.select_for_update(of=("self",))
        .select_related("seminar", "staff__institution")
        .get(pk=attendance.pk)
    )
    campaign_require_open(attendance)
    require(actor, "staff.report", attendance)
    if attendance.seminar.date > clock.today():
        raise ValidationError(
            _("Attendance can be recorded only once the seminar has taken place."),
            code="seminar_in_future",
        )
    if attendance.attended:
        _refuse_confirmed(attendance)
    attendance.attended = True
    _mark_reported(attendance, actor=actor)
    attendance.save()
    _audit_reported(actor, attendance, adding=False)
    return attendance


def _review_lock(item: ReportedByInstitution) -> ReportedByInstitution:
    locked = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)  # type: ignore[attr-defined]  # abstract: each concrete model has objects
    if locked.report_state != ReportState.REPORTED:
        raise ValidationError(
            _("Only an item waiting for review can be confirmed or returned."),
            code="report_not_waiting",
        )
    return locked


@transaction.atomic
def report_confirm(*, actor: Actor, item: ReportedByInstitution) -> ReportedByInstitution:
    """The Department confirms an item the institution reported: from now on it counts."""
    campaign_require_open(item)
    require(actor, "staff.confirm", item)
    item = _review_lock(item)
    item.report_state = ReportState.CONFIRMED
    item.reviewed_by, item.reviewed_at = actor, clock.now()
    item.review_comment = ""
    item.save(update_fields=["report_state", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=item, extra={"step": "confirmed"}
    )
    return item


@transaction.atomic
def report_return(
    *, actor: Actor, item: ReportedByInstitution, comment: str
) -> ReportedByInstitution:
    """The Department returns a reported item with a comment; the institution corrects it
    and reports it again. A returned item does not count."""
    campaign_require_open(item)
    require(actor, "staff.confirm", item)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the institution should correct.")},
            code="return_comment_missing",
        )
    item = _review_lock(item)
    item.report_state = ReportState.RETURNED
    item.reviewed_by, item.reviewed_at = actor, clock.now()
    item.review_comment = comment
    item.save(update_fields=["report_state", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=item, extra={"step": "returned"}
    )
    return item
