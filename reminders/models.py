"""Reminders sent (exactly once each), in-app notifications, and per-kind settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from reminders.registry import OVERDUE, reminder_kind_get

MAX_LEAD_DAYS = 120


def validate_lead_days(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= MAX_LEAD_DAYS
        for day in value
    ):
        raise ValidationError(
            _("Give lead times as whole numbers of days from 0 to %(max)d, e.g. 7, 3, 1.")
            % {"max": MAX_LEAD_DAYS},
            code="invalid_lead_days",
        )


class ReminderKindSetting(models.Model):
    """The Department's switch and lead times for one reminder kind (defaults from code)."""

    kind = models.CharField(_("kind"), max_length=64, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    lead_days = models.JSONField(
        _("lead times (days before the deadline)"),
        default=list,
        blank=True,
        validators=[validate_lead_days],
        help_text=_("Days before the deadline on which a reminder goes out, e.g. 7, 3, 1."),
    )
    send_overdue = models.BooleanField(
        _("remind when overdue"),
        default=False,
        help_text=_("Send one more reminder on the first day after the deadline."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        ordering = ["kind"]

    def __str__(self) -> str:
        kind = reminder_kind_get(self.kind)
        return str(kind.label) if kind else self.kind


class Reminder(models.Model):
    """One reminder to one person about one object for one due date: recorded once.

    The unique constraint is the exactly-once guarantee: the engine inserts with
    ``ON CONFLICT DO NOTHING``, so a second run or a second worker adds nothing, and only
    rows with ``sent_at`` unset are (re)tried.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    due_date = models.DateField(
        _("due date"), help_text=_("The day this reminder falls due (deadline minus lead time).")
    )
    deadline = models.DateField(_("deadline"))
    lead_days = models.SmallIntegerField(
        _("lead time (days)"), help_text=_("-1 means sent because the deadline has passed.")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    path = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder log")
        ordering = ["-due_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "content_type", "object_id", "due_date"],
                name="reminder_once_per_recipient_object_due_date",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=models.Q(sent_at__isnull=True),
                name="reminder_unsent_by_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.due_date:%d.%m.%Y}"

    @property
    def kind_label(self) -> str:
        kind = reminder_kind_get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_overdue(self) -> bool:
        return self.lead_days == OVERDUE


class Notification(models.Model):
    """An in-app message for one user; each sent reminder leaves exactly one."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    reminder = models.OneToOneField(
        Reminder,
        verbose_name=_("reminder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    path = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
