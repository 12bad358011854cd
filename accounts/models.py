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
    region = models.ForeignKey(
        "institutions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Department staff of a region see only its institutions; empty means all."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
