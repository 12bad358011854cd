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
    rows = []
    for item in context.get("institutions", []):
        labels = []
        for code in item["kinds"]:
            kind = reminder_kind_get(code)
            labels.append(str(kind.label) if kind else code)
        rows.append(
            {
                "name": render_value(item["name"]),
                "district": render_value(item["district"]),
                "kinds": labels,
            }
        )
    subject = gettext("Overdue institutions on %(date)s: %(count)d") % {
        "date": date_format(reminder.due_date, DATE_FORMAT),
        "count": context.get("total", len(rows)),
    }
    body = render_to_string(
        "reminders/email/digest_body.txt",
        {"rows": rows, "total": context.get("total", len(rows)), "shown": len(rows)},
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
