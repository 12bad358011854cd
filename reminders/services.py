"""Writes of the reminders app: evaluate what is due, record it once, deliver it.

Exactly once rests on the database, not on checks: ``reminders_evaluate`` inserts with
``ON CONFLICT DO NOTHING`` against the unique (recipient, kind, object, due date), and
``reminder_send`` locks one unsent row with ``SKIP LOCKED``, so two workers never hold the
same reminder and a sent one is never picked again. A failed send leaves the row unsent
with its attempts and error, and the next run retries only such rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from institutions.models import Campaign, Institution
from institutions.selectors import campaign_get_active
from reminders.models import Notification, Reminder, ReminderKindSetting, validate_lead_days
from reminders.registry import (
    DATE_FORMAT,
    OVERDUE,
    Audience,
    Due,
    ReminderKind,
    reminder_kind_get,
    reminder_kinds,
    render_value,
)
from reminders.selectors import reminder_list

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Unsent reminders older than this are not retried: the news would be stale.
RETRY_WINDOW = dt.timedelta(days=3)
DIGEST_KIND = "department_digest"
DIGEST_MAX_INSTITUTIONS = 200


@dataclass(frozen=True)
class KindSettings:
    enabled: bool
    lead_days: tuple[int, ...]
    send_overdue: bool


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed: int = 0

    def __add__(self, other: DeliveryResult) -> DeliveryResult:
        return DeliveryResult(sent=self.sent + other.sent, failed=self.failed + other.failed)


# --- settings ---------------------------------------------------------------------------


def reminder_settings_ensure() -> None:
    """Give every registered kind a settings row with its defaults (existing rows stay)."""
    ReminderKindSetting.objects.bulk_create(
        [
            ReminderKindSetting(
                kind=kind.code,
                lead_days=list(kind.default_lead_days),
                send_overdue=kind.default_send_overdue,
            )
            for kind in reminder_kinds()
        ],
        ignore_conflicts=True,
    )


def kind_settings_get() -> dict[str, KindSettings]:
    stored = {row.kind: row for row in ReminderKindSetting.objects.all()}
    result = {}
    for kind in reminder_kinds():
        row = stored.get(kind.code)
        result[kind.code] = (
            KindSettings(
                enabled=row.enabled,
                lead_days=tuple(row.lead_days),
                send_overdue=row.send_overdue,
            )
            if row
            else KindSettings(
                enabled=True,
                lead_days=kind.default_lead_days,
                send_overdue=kind.default_send_overdue,
            )
        )
    return result


@transaction.atomic
def reminder_setting_update(
    *,
    actor: Actor,
    setting: ReminderKindSetting,
    enabled: bool,
    lead_days: list[int],
    send_overdue: bool,
) -> ReminderKindSetting:
    """Switch a kind on or off and set its lead times (days before the deadline)."""
    lead_days = sorted(set(lead_days), reverse=True)
    validate_lead_days(lead_days)
    setting = ReminderKindSetting.objects.select_for_update().get(pk=setting.pk)
    setting.enabled = enabled
    setting.lead_days = lead_days
    setting.send_overdue = send_overdue
    setting.save(update_fields=["enabled", "lead_days", "send_overdue", "updated_at"])
    audit_record(request_or_actor=actor, action=AuditAction.CHANGE, obj=setting)
    logger.info("Reminder kind %s updated by user %s", setting.kind, actor.pk)
    return setting


# --- evaluation -------------------------------------------------------------------------


def reminder_stage(
    *, deadline: dt.date, today: dt.date, settings: KindSettings
) -> tuple[dt.date, int] | None:
    """(due date, lead days) of the reminder due ``today`` for ``deadline``, if any.

    Of the lead times already reached only the latest counts, so a run after a pause
    sends one reminder, not every missed one; after the deadline comes one overdue
    reminder when the kind sends those.
    """
    if today > deadline:
        if settings.send_overdue:
            return deadline + dt.timedelta(days=1), OVERDUE
        return None
    reached = [lead for lead in settings.lead_days if deadline - dt.timedelta(days=lead) <= today]
    if not reached:
        return None
    lead = min(reached)
    return deadline - dt.timedelta(days=lead), lead


def _officers_by_institution(institution_ids: set[int]) -> dict[int, list[int]]:
    by_institution: dict[int, list[int]] = defaultdict(list)
    rows = (
        User.objects.filter(
            institution_id__in=institution_ids, is_active=True, groups__name=Role.OFFICER
        )
        .order_by("pk")
        .values_list("institution_id", "pk")
        .distinct()
    )
    for institution_id, user_id in rows:
        by_institution[institution_id].append(user_id)
    return by_institution


def department_recipients(*, campaign: Campaign) -> list[User]:
    """Active department staff whose region (if any) takes part in the campaign."""
    regions = campaign.regions.values("pk")
    return list(
        User.objects.filter(is_active=True, institution__isnull=True, groups__name=Role.DEPARTMENT)
        .filter(Q(region__isnull=True) | Q(region__in=regions))
        .distinct()
        .order_by("pk")
    )


def _institution_regions(institution_ids: set[int]) -> dict[int, int]:
    return dict(
        Institution.objects.filter(pk__in=institution_ids).values_list("pk", "district__region_id")
    )


def _recipients(
    kind: ReminderKind, dues: list[Due], campaign: Campaign
) -> list[tuple[Due, list[int]]]:
    """Each due item with the ids of its recipients, resolved in a constant number of queries."""
    institution_ids = {due.institution_id for due in dues if due.institution_id}
    if kind.audience == Audience.OFFICERS:
        officers = _officers_by_institution(institution_ids) if institution_ids else {}
        return [
            (
                due,
                list(due.user_ids)
                if due.user_ids is not None
                else officers.get(due.institution_id, []),  # type: ignore[arg-type]  # no institution: no officers
            )
            for due in dues
        ]
    department = department_recipients(campaign=campaign)
    regions = _institution_regions(institution_ids) if institution_ids else {}
    result = []
    for due in dues:
        if due.user_ids is not None:
            result.append((due, list(due.user_ids)))
            continue
        region = regions.get(due.institution_id)  # type: ignore[arg-type]  # no institution: no region
        result.append(
            (
                due,
                [
                    user.pk
                    for user in department
                    if user.region_id is None or region is None or user.region_id == region
                ],
            )
        )
    return result


def _reminder_rows(
    kind: ReminderKind, campaign: Campaign, today: dt.date, kind_settings: KindSettings
) -> list[Reminder]:
    staged = []
    for due in kind.due(campaign, today):
        stage = reminder_stage(deadline=due.deadline, today=today, settings=kind_settings)
        # Delivery gives up on reminders older than the retry window, so one that fell due
        # before it (an overdue reminder long after the deadline) would stay unsent forever.
        if stage is not None and stage[0] >= today - RETRY_WINDOW:
            staged.append((due, stage))
    if not staged:
        return []
    recipients = _recipients(kind, [due for due, _stage in staged], campaign)
    content_types = ContentType.objects.get_for_models(*{type(due.object) for due, _s in staged})
    rows = []
    for (due, (due_date, lead)), (_due, user_ids) in zip(staged, recipients, strict=True):
        for user_id in user_ids:
            rows.append(
                Reminder(
                    recipient_id=user_id,
                    kind=kind.code,
                    content_type=content_types[type(due.object)],
                    object_id=due.object.pk,
                    due_date=due_date,
                    deadline=due.deadline,
                    lead_days=lead,
                    institution_id=due.institution_id,
                    context=dict(due.context),
                    path=due.path,
                )
            )
    return rows


def _record(rows: list[Reminder]) -> None:
    # ON CONFLICT DO NOTHING: a reminder recorded by an earlier run or by another worker
    # at the same moment stays as it is, with its sent_at.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


@transaction.atomic
def reminders_evaluate(*, today: dt.date | None = None, campaign: Campaign | None = None) -> int:
    """Record every reminder due ``today`` for the active campaign; idempotent.

    Returns how many reminders are due today (recorded now or by an earlier run).
    """
    today = today or clock.today()
    campaign = campaign or campaign_get_active()
    reminder_settings_ensure()
    all_settings = kind_settings_get()
    rows: list[Reminder] = []
    for kind in reminder_kinds():
        kind_settings = all_settings[kind.code]
        if kind.hourly and kind_settings.enabled:
            rows.extend(_reminder_rows(kind, campaign, today, kind_settings))
    _record(rows)
    return len(rows)


def overdue_institutions(*, campaign: Campaign, today: dt.date) -> dict[int, list[str]]:
    """Institution id -> codes of the enabled kinds whose deadline has passed for it."""
    all_settings = kind_settings_get()
    overdue: dict[int, list[str]] = defaultdict(list)
    for kind in reminder_kinds():
        if not (kind.hourly and all_settings[kind.code].enabled):
            continue
        for due in kind.due(campaign, today):
            if due.institution_id and due.deadline < today:
                codes = overdue[due.institution_id]
                if kind.code not in codes:
                    codes.append(kind.code)
    return dict(overdue)


@transaction.atomic
def department_digest_evaluate(
    *, today: dt.date | None = None, campaign: Campaign | None = None
) -> int:
    """Record today's digest of overdue institutions for every department user; idempotent.

    A user of a region sees only its institutions; nobody gets an empty digest.
    """
    today = today or clock.today()
    campaign = campaign or campaign_get_active()
    reminder_settings_ensure()
    if not kind_settings_get().get(DIGEST_KIND, KindSettings(True, (), False)).enabled:
        return 0
    overdue = overdue_institutions(campaign=campaign, today=today)
    if not overdue:
        return 0
    institutions = list(
        Institution.objects.filter(pk__in=overdue)
        .select_related("district")
        .order_by("district__code", "name_kk")
    )
    content_type = ContentType.objects.get_for_model(Campaign)
    rows = []
    for user in department_recipients(campaign=campaign):
        mine = [
            institution
            for institution in institutions
            if user.region_id is None or institution.district.region_id == user.region_id
        ]
        if not mine:
            continue
        rows.append(
            Reminder(
                recipient=user,
                kind=DIGEST_KIND,
                content_type=content_type,
                object_id=campaign.pk,
                due_date=today,
                deadline=today,
                lead_days=0,
                context={
                    "total": len(mine),
                    "institutions": [
                        {
                            "id": institution.pk,
                            "name": {"kk": institution.name_kk, "ru": institution.name_ru},
                            "district": {
                                "kk": institution.district.name_kk,
                                "ru": institution.district.name_ru,
                                "en": institution.district.name_en,
                            },
                            "kinds": overdue[institution.pk],
                        }
                        for institution in mine[:DIGEST_MAX_INSTITUTIONS]
                    ],
                },
                path=reverse("institutions:department_home"),
            )
        )
    _record(rows)
    return len(rows)


# --- delivery ---------------------------------------------------------------------------


def reminder_render(reminder: Reminder) -> tuple[str, str]:
    """Subject and body in the active language (callers override it to the recipient's)."""
    kind = reminder_kind_get(reminder.kind)
    if kind is None:
        raise ValueError(f"Unknown reminder kind {reminder.kind!r}")
    if kind.render is not None:
        return kind.render(reminder)
    values = {key: render_value(value) for key, value in reminder.context.items()}
    values["deadline"] = date_format(reminder.deadline, DATE_FORMAT)
    values["days_left"] = max((reminder.deadline - reminder.due_date).days, 0)
    overdue = reminder.lead_days == OVERDUE
    subject = kind.overdue_subject if overdue and kind.overdue_subject else kind.subject
    body = kind.overdue_body if overdue and kind.overdue_body else kind.body
    return str(subject) % values, str(body) % values


def _email_body(reminder: Reminder, text: str) -> str:
    return render_to_string(
        "reminders/email/reminder.txt",
        {
            "recipient": reminder.recipient,
            "text": text,
            "url": f"{settings.SITE_URL.rstrip('/')}{reminder.path}" if reminder.path else "",
        },
    )


def _notification_put(*, reminder: Reminder, subject: str, text: str) -> Notification:
    """The one in-app notice of this item for this recipient: a later lead time (or the
    overdue reminder, or tomorrow's digest) replaces the earlier text instead of stacking
    near-identical notices. It shows as new and unread again, at the time of this send."""
    earlier = (
        Notification.objects.select_for_update()
        .filter(
            recipient_id=reminder.recipient_id,
            reminder__kind=reminder.kind,
            reminder__content_type_id=reminder.content_type_id,
            reminder__object_id=reminder.object_id,
        )
        .order_by("-pk")
        .first()
    )
    if earlier is None:
        return Notification.objects.create(
            recipient_id=reminder.recipient_id,
            reminder=reminder,
            subject=subject[:300],
            body=text,
            path=reminder.path,
        )
    earlier.reminder = reminder  # the log keeps every reminder; the notice follows the latest
    earlier.subject = subject[:300]
    earlier.body = text
    earlier.path = reminder.path
    earlier.created_at = clock.wall_now()  # as created_at (auto_now_add) is written
    earlier.read_at = None
    earlier.save(update_fields=["reminder", "subject", "body", "path", "created_at", "read_at"])
    return earlier


def reminder_send(*, reminder_id: int, connection: BaseEmailBackend | None = None) -> bool | None:
    """Send one recorded reminder by email and as an in-app notification.

    True when sent now, False when the send failed (left unsent for a retry), None when
    there was nothing to do: already sent, or being sent by another worker right now.
    """
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return None
        user = reminder.recipient
        reminder.attempts += 1
        try:
            with translation.override(user.language):
                subject, text = reminder_render(reminder)
                if user.email:
                    EmailMessage(
                        subject,
                        _email_body(reminder, text),
                        to=[user.email],
                        connection=connection,
                    ).send()
        except Exception as exc:  # any transport or rendering error: keep for a retry
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            reminder.save(update_fields=["attempts", "last_error"])
            logger.warning("Reminder %s not sent (attempt %s)", reminder.pk, reminder.attempts)
            return False
        _notification_put(reminder=reminder, subject=subject, text=text)
        reminder.sent_at = clock.now()
        reminder.last_error = ""
        reminder.save(update_fields=["attempts", "last_error", "sent_at"])
        return True


def reminders_deliver(
    *, today: dt.date | None = None, connection: BaseEmailBackend | None = None
) -> DeliveryResult:
    """Send every unsent reminder due by ``today``; retries failures a few times."""
    today = today or clock.today()
    pending: Iterable[int] = (
        Reminder.objects.filter(
            sent_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            due_date__lte=today,
            due_date__gte=today - RETRY_WINDOW,
            recipient__is_active=True,
        )
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    result = DeliveryResult()
    for reminder_id in list(pending):
        outcome = reminder_send(reminder_id=reminder_id, connection=connection)
        if outcome is True:
            result += DeliveryResult(sent=1)
        elif outcome is False:
            result += DeliveryResult(failed=1)
    return result


@transaction.atomic
def reminders_retry(*, actor: Actor, reminder_ids: Iterable[int]) -> int:
    """Give failed reminders a fresh set of attempts (the next run sends them).

    Only reminders in the actor's scope are touched, whoever built the list of ids."""
    count = (
        reminder_list(user=actor)
        .filter(pk__in=list(reminder_ids), sent_at__isnull=True)
        .update(attempts=0)
    )
    logger.info("%s reminders queued for retry by user %s", count, actor.pk)
    return count


# --- notifications ----------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: Actor, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This notification is not yours."), code="not_recipient")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: Actor) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=clock.now()
    )
