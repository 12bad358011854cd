"""Writes on institutions' responsible staff, their training and provisioning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
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
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from institutions.models import Provisioning, ResponsibleStaff, Seminar, SeminarAttendance


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
def staff_invite_officer(*, actor: Any, staff: ResponsibleStaff, base_url: str) -> User:
    """Create the officer account of a staff member and email a set-password link.

    The account has no usable password until the officer sets one through the link, so
    nobody else ever knows it. The email goes out only once the account is committed.
    """
    staff = ResponsibleStaff.objects.select_for_update().get(pk=staff.pk)
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
    *, actor: Any, staff: ResponsibleStaff, end_date: dt.date | None = None
) -> ResponsibleStaff:
    """End a staff member's appointment; their account loses access at once."""
    staff = ResponsibleStaff.objects.select_for_update().get(pk=staff.pk)
    end_date = end_date or clock.today()
    if staff.active_from and end_date < staff.active_from:
        raise ValidationError(
            _("The appointment cannot end before it started."), code="staff_end_before_start"
        )
    staff.is_active = False
    staff.active_to = end_date
    staff.save(update_fields=["is_active", "active_to"])
    if staff.user_id is not None:
        user_access_end(user=staff.user)
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE, obj=staff, extra={"active": False}
    )
    return staff


@transaction.atomic
def seminar_attendance_record(
    *,
    actor: Any,
    seminar: Seminar,
    staff: ResponsibleStaff,
    attended: bool = True,
    note: str = "",
) -> SeminarAttendance:
    """Record (or correct) whether a staff member attended a seminar."""
    if seminar.date > clock.today() and attended:
        raise ValidationError(
            _("Attendance can be recorded only once the seminar has taken place."),
            code="seminar_in_future",
        )
    attendance, _created = SeminarAttendance.objects.update_or_create(
        seminar=seminar, staff=staff, defaults={"attended": attended, "note": note.strip()}
    )
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=attendance)
    return attendance


@transaction.atomic
def provisioning_record(
    *,
    actor: Any,
    staff: ResponsibleStaff,
    premises_provided: bool,
    premises_date: dt.date | None = None,
    premises_note: str = "",
    computer_provided: bool,
    computer_date: dt.date | None = None,
    computer_note: str = "",
) -> Provisioning:
    """Record what premises and computer a staff member has been given (¶7)."""
    provisioning = Provisioning.objects.filter(staff=staff).first() or Provisioning(staff=staff)
    provisioning.premises_provided = premises_provided
    provisioning.premises_date = premises_date if premises_provided else None
    provisioning.premises_note = premises_note.strip()
    provisioning.computer_provided = computer_provided
    provisioning.computer_date = computer_date if computer_provided else None
    provisioning.computer_note = computer_note.strip()
    provisioning.full_clean()
    provisioning.save()
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=provisioning)
    return provisioning


@transaction.atomic
def institutions_set_active(*, actor: Any, institutions: Any, active: bool) -> int:
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
    actor: Any,
    campaign: Any,
    date: dt.date,
    topics: str,
    conducted_by: User,
    place: str = "",
    is_online: bool = False,
) -> Seminar:
    """Schedule a seminar for responsible staff (¶6)."""
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
