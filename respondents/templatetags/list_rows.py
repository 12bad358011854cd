"""The rows of a list's page, one tag rather than a template loop: a page shows fifty people
and a loop renders every variable, filter and tag of each row one by one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from census_coord.row_links import row_link
from respondents.choices import ListStatus
from respondents.models import RespondentList

register = template.Library()


def _day(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


@register.simple_tag
def list_rows(people: Any, respondent_list: RespondentList) -> SafeString:
    """Name (with an arrival or a departure marked), birth date, IIN, citizenship,
    residence status, unit, and the actions the list's status allows on the row."""
    names: list[str] = []
    labels: list[str] = []
    if respondent_list.is_editable:
        names = ["respondents:row_edit", "respondents:row_delete"]
        labels = [escape(gettext("Edit")), escape(gettext("Delete"))]
    elif respondent_list.status == ListStatus.ACCEPTED:
        names, labels = ["respondents:departure"], [escape(gettext("Record departure"))]
    links = [row_link(name, respondent_list.pk) for name in names]
    lines = []
    for row in people:
        name = escape(row.full_name)
        notes = ""
        if row.arrived_on:
            arrived = gettext("arrived %(date)s") % {"date": _day(row.arrived_on)}
            notes += f'<br><span class="badge">{arrived}</span>'
        if row.departed_on:
            notes += (
                f'<br><span class="badge badge-warn">{escape(row.get_departure_reason_display())}'
                f" {_day(row.departed_on)}</span>"
            )
        country = f" ({escape(row.citizenship_country)})" if row.citizenship_country else ""
        actions = [
            f'<a href="{link(row.pk)}">{label}<span class="visually-hidden"> {name}</span></a>'
            for link, label in zip(links, labels, strict=True)
        ]
        if row.departed_on and not respondent_list.is_editable:
            actions = []  # a departure is recorded once
        lines.append(
            f"<tr><td>{name}{notes}</td>"
            f"<td>{_day(row.birth_date)}</td>"
            f"<td>{escape(row.iin) if row.iin else '—'}</td>"
            f"<td>{escape(row.get_citizenship_display())}{country}</td>"
            f"<td>{escape(row.get_residence_status_display())}</td>"
            f"<td>{escape(row.unit)}</td>"
            f"<td>{' · '.join(actions)}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped
