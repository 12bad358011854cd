"""The reminders app's own kind: the Department's daily digest of overdue institutions.

It is not evaluated hourly; ``services.department_digest_evaluate`` builds it once a day
from every other kind's overdue items. Listed here so that it has settings and a label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions.models import Campaign
from reminders.registry import (
    DATE_FORMAT,
    Audience,
    Due,
    ReminderKind,
    reminder_kind_get,
    render_value,
)


def _no_hourly_items(campaign: Campaign, today: dt.date) -> Iterable[Due]:
    return ()


def _render_digest(reminder: Any) -> tuple[str, str]:
    context = reminder.context
    # Institutions come ordered by district: one heading per district, its institutions
    # under it, so a district's name is printed once.
    districts: list[dict[str, Any]] = []
    shown = 0
    for item in context.get("institutions", []):
        labels = []
        for code in item["kinds"]:
            kind = reminder_kind_get(code)
            labels.append(str(kind.label) if kind else code)
        district = render_value(item["district"])
        if not districts or districts[-1]["name"] != district:
            districts.append({"name": district, "rows": []})
        districts[-1]["rows"].append({"name": render_value(item["name"]), "kinds": labels})
        shown += 1
    subject = gettext("Overdue institutions on %(date)s: %(count)d") % {
        "date": date_format(reminder.due_date, DATE_FORMAT),
        "count": context.get("total", shown),
    }
    body = render_to_string(
        "reminders/email/digest_body.txt",
        {"districts": districts, "total": context.get("total", shown), "shown": shown},
    )
    return subject, body


KINDS = [
    ReminderKind(
        code="department_digest",
        label=_("Daily digest of overdue institutions"),
        subject=_("Overdue institutions"),
        body="",
        due=_no_hourly_items,
        audience=Audience.DEPARTMENT,
        default_lead_days=(0,),
        hourly=False,
        render=_render_digest,
    )
]
