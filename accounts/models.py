"""Users: every person or client that signs in, with the scope they act in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person or REST client; ``institution`` set means it acts for that institution only."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="kk",
        help_text=_("Interface language, remembered between sessions."),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Officers and institution API clients see only this institution."),
    )
    # Printed under the signature on acts in the act's language (kk or ru).
    position_kk = models.CharField(_("position (Kazakh)"), max_length=255, blank=True)
    position_ru = models.CharField(_("position (Russian)"), max_length=255, blank=True)
    region = models.ForeignKey(
        "institutions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Department staff of a region see only its institutions; empty means all."),
    )

    # The names of the user's groups, cached per instance by accounts.roles.role_of.
    _role_group_names: set[str]

    def position_in(self, language: str) -> str:
        """The position in ``language``, or in the other one when only that is recorded."""
        first, second = (self.position_ru, self.position_kk)
        if language == "kk":
            first, second = second, first
        return first or second

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # not in django-stubs
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


class ApiToken(models.Model):
    """A key a REST client sends as ``Authorization: Token <key>``; it acts as its user.

    Only the SHA-256 of the key is stored: the key itself is shown once, when issued, so a
    leaked database does not leak working credentials.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the client system.")
    )
    prefix = models.CharField(
        _("key prefix"), max_length=8, editable=False, help_text=_("Identifies the key in lists.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
