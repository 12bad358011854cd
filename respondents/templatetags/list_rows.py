"""The rows of a list's page, one tag rather than a template loop: a page shows fifty people
and a loop renders every variable, filter and tag of each row one by one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from census_coord.row_links import choice_labels, row_link
from respondents.choices import ListStatus
from respondents.models import Respondent, RespondentList

register = template.Library()


def _day(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


@register.simple_tag
def list_rows(people: Any, respondent_list: RespondentList) -> SafeString:
    """Name (with an arrival or a departure marked), birth date, IIN, citizenship,
    residence status, unit, and the actions the list's status allows on the row.

    The choices' labels and the fixed words are translated once for the page's rows."""
    names: list[str] = []
    labels: list[str] = []
    if respondent_list.is_editable:
        names = ["respondents:row_edit", "respondents:row_delete"]
        labels = [escape(gettext("Edit")), escape(gettext("Delete"))]
    elif respondent_list.status == ListStatus.ACCEPTED:
        names, labels = ["respondents:departure"], [escape(gettext("Record departure"))]
    links = list(zip([row_link(name, respondent_list.pk) for name in names], labels, strict=True))
    # A departure is recorded once: no actions on a departed row of a list not editable.
    departed_actions = links if respondent_list.is_editable else []
    citizenship = choice_labels(Respondent, "citizenship")
    residence = choice_labels(Respondent, "residence_status")
    departure = choice_labels(Respondent, "departure_reason")
    arrived_on = gettext("arrived %(date)s")
    lines = []
    for row in people:
        name = escape(row.full_name)
        notes = ""
        if row.arrived_on:
            arrived = arrived_on % {"date": _day(row.arrived_on)}
            notes += f'<br><span class="badge">{arrived}</span>'
        if row.departed_on:
            notes += (
                f'<br><span class="badge badge-warn">{departure(row.departure_reason)}'
                f" {_day(row.departed_on)}</span>"
            )
        country = f" ({escape(row.citizenship_country)})" if row.citizenship_country else ""
        actions = " · ".join(
            f'<a href="{link(row.pk)}">{label}<span class="visually-hidden"> {name}</span></a>'
            for link, label in (departed_actions if row.departed_on else links)
        )
        lines.append(
            f"<tr><td>{name}{notes}</td>"
            f"<td>{_day(row.birth_date)}</td>"
            f"<td>{escape(row.iin) if row.iin else '—'}</td>"
            f"<td>{citizenship(row.citizenship)}{country}</td>"
            f"<td>{residence(row.residence_status)}</td>"
            f"<td>{escape(row.unit)}</td>"
            f"<td>{actions}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped


_BADGE_CLASSES: dict[str, str] = {
    ListStatus.ACCEPTED: " badge-ok",
    ListStatus.RETURNED: " badge-danger",
    ListStatus.SUBMITTED: " badge-warn",
}


def _status_badge(status: str, label: str) -> str:
    """``respondents/_status.html``: a list's status as a badge ("Not started" without one)."""
    text = label or gettext("Not started")
    return f'<span class="badge{_BADGE_CLASSES.get(status, "")}">{escape(text)}</span>'


@register.simple_tag
def board_rows(page: Any, can_open: bool, can_review_many: bool) -> SafeString:
    """The lists board's rows: the selection box (a submitted list, for those who review
    many), the institution (a link to its list for those who may read it), the district,
    the list's status and its counts."""
    labels = {value: str(label) for value, label in ListStatus.choices}
    link = row_link("respondents:list_detail")
    lines = []
    for institution in page:
        name = escape(institution.name)
        list_id, status = institution.list_id, institution.list_status
        select = ""
        if can_review_many:
            box = ""
            if status == ListStatus.SUBMITTED:
                label = gettext("Select the list of %(name)s") % {"name": name}
                box = (
                    f'<input type="checkbox" name="selected" value="{list_id}" '
                    f'id="list-{list_id}" aria-label="{label}">'
                )
            select = f"<td>{box}</td>"
        shown = f'<a href="{link(list_id)}">{name}</a>' if can_open and list_id else name
        if status in labels:
            badge = _status_badge(status, labels[status])
        else:
            badge = "" if status else _status_badge("", "")
        counts = "".join(
            f'<td class="num">{value}</td>'
            for value in (
                institution.row_count,
                institution.current_count,
                institution.expected_residents,
                institution.open_conflicts,
            )
        )
        lines.append(
            f"<tr>{select}<td>{shown}</td><td>{escape(institution.district)}</td>"
            f"<td>{badge}</td>{counts}</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped
