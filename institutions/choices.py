"""Choices that institutions own and the apps above it share.

``EnumerationMethod`` lives here because an institution's default method is a field of the
institution; ``respondents.choices`` re-exports it, so either import works.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnumerationMethod(models.TextChoices):
    """How a listed person is enumerated in stage 2 (¶9.2)."""

    ONLINE_SELF = "online_self", _("Online, by themselves")
    ONLINE_ASSISTED = "online_assisted", _("Online, helped by responsible staff")
    TABLET = "tablet", _("Tablet interview")
    ADMIN_RECORDS = "admin_records", _("From administration records")
