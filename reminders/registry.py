"""Reminder kinds: what can fall due, for whom, and what the message says.

Each app contributes kinds in its own ``<app>/reminder_kinds.py`` as a module-level
``KINDS: list[ReminderKind]``; ``reminder_kinds()`` collects them in app order (as
``institutions.readiness`` collects readiness items). A kind's ``due(campaign, today)``
answers for every institution at once in a constant number of queries and yields ``Due``
items; the engine (``reminders.services``) applies lead times and settings, resolves the
recipients set-wise and records each reminder exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Model, TextChoices
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from census_coord.plugins import plugin_modules
from institutions.models import Campaign

# Dates in messages: day.month.year reads right in Kazakh and Russian alike (Django's kk
# locale has no short date format and would fall back to the US order).
DATE_FORMAT = "d.m.Y"

# Lead time meaning "on the first day after the deadline" in settings and on the log.
OVERDUE = -1


class Audience(TextChoices):
    """Who a kind's reminders go to when a ``Due`` names no users of its own."""

    OFFICERS = "officers", _("Officers of the institution")
    DEPARTMENT = "department", _("Department staff")


@dataclass(frozen=True)
class Due:
    """One thing that falls due: ``object`` must be done by ``deadline``.

    ``context`` is stored with the reminder (JSON) and fills the message templates; use
    ``ctx_date`` / ``ctx_name`` for values that read differently per language.
    ``user_ids`` names the recipients explicitly; ``None`` means the kind's audience for
    ``institution_id``.
    """

    object: Model
    deadline: dt.date
    institution_id: int | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    user_ids: tuple[int, ...] | None = None
    path: str = ""  # link inside the application, e.g. the list's page


DueFunction = Callable[[Campaign, dt.date], Iterable[Due]]


@dataclass(frozen=True)
class ReminderKind:
    """A reminder the application can send; ``code`` is stable (stored on every reminder).

    ``subject`` / ``body`` (and the ``overdue_*`` variants, sent after the deadline) are
    lazy translatable strings with ``%(name)s`` placeholders filled from the ``Due``'s
    context plus ``deadline`` and ``days_left``.
    """

    code: str
    label: str | Promise
    subject: str | Promise
    body: str | Promise
    due: DueFunction
    audience: Audience = Audience.OFFICERS
    default_lead_days: tuple[int, ...] = (7, 3, 1)
    default_send_overdue: bool = False
    overdue_subject: str | Promise | None = None
    overdue_body: str | Promise | None = None
    # Evaluated by the hourly task; False for kinds with their own schedule (the digest).
    hourly: bool = True
    # Builds (subject, body) itself instead of the templates above; called in the
    # recipient's language with the stored reminder.
    render: Callable[[Any], tuple[str, str]] | None = None


@cache
def reminder_kinds() -> tuple[ReminderKind, ...]:
    kinds = [kind for module in plugin_modules("reminder_kinds") for kind in module.KINDS]
    codes = [kind.code for kind in kinds]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise ValueError(f"Reminder kind codes must be unique: {sorted(duplicates)}")
    return tuple(kinds)


def reminder_kind_get(code: str) -> ReminderKind | None:
    return next((kind for kind in reminder_kinds() if kind.code == code), None)


def ctx_date(value: dt.date) -> dict[str, str]:
    """A date in a reminder's context, shown in the reader's format."""
    return {"date": value.isoformat()}


def ctx_name(*, kk: str, ru: str, en: str = "") -> dict[str, str]:
    """A name in a reminder's context, shown in the reader's language."""
    return {"kk": kk, "ru": ru, "en": en or ru}


def ctx_text(text: str | Promise) -> dict[str, str]:
    """A translatable phrase in a reminder's context, stored in every language."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(text)
    return values


def render_value(value: Any) -> Any:
    """Resolve ``ctx_date`` / ``ctx_name`` values in the active language."""
    if isinstance(value, dict):
        if set(value) == {"date"}:
            return date_format(dt.date.fromisoformat(value["date"]), DATE_FORMAT)
        language = (get_language() or "kk")[:2]
        return value.get(language) or value.get("kk") or next(iter(value.values()), "")
    if isinstance(value, list):
        return [render_value(item) for item in value]
    return value
