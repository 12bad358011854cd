"""The audit trail: who did what to which personal data, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord import clock


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    SEARCH = "search", _("searched")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    IMPORT = "import", _("imported")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    ACCESS_DENIED = "access_denied", _("access denied")
    PASSWORD_RESET = "password_reset", _("password reset requested")
    PASSWORD_RESET_DONE = "password_reset_done", _("password reset")


class AuditEvent(models.Model):
    """One act on personal data or on an account; rows are never updated or deleted.

    PostgreSQL refuses UPDATE, DELETE and TRUNCATE on this table (a trigger created by
    migration 0002), so not even a bug in the application can rewrite the trail.
    Actor and institution are protected: a person with a trail is deactivated, not deleted.
    """

    occurred_at = models.DateTimeField(_("when"), default=clock.wall_now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The name typed at sign-in, so that failures for unknown usernames are on record too.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    record_count = models.PositiveIntegerField(_("number of records"), null=True, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    route = models.CharField(_("page or endpoint"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    via_token = models.BooleanField(_("via API token"), default=False)
    # Which token (its prefix, as listed under API tokens): the user alone does not say
    # which of a client's tokens acted, nor which one to revoke.
    token_prefix = models.CharField(_("API token"), max_length=8, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            models.Index(fields=["institution", "occurred_at"], name="audit_institution_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"
