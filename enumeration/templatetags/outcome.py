"""A person's stage-2 outcome as a badge, and the worklist's rows: tags rather than an
include and a template loop, since the worklist and the reconciliation show fifty people a
page and every include, variable and tag of a row is rendered one by one."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from census_coord.row_links import choice_labels, row_link
from enumeration.choices import EnumerationStatus
from enumeration.models import Enumeration
from institutions.models.institution import institution_name

register = template.Library()


class _OutcomeLabels:
    """The outcome's words in the active language, each translated once for a page's rows
    when first needed (``get_<field>_display`` translates the field's whole list of choices
    at every call)."""

    @cached_property
    def status(self) -> Callable[[Any], str]:
        return choice_labels(Enumeration, "status")

    @cached_property
    def method(self) -> Callable[[Any], str]:
        return choice_labels(Enumeration, "method")

    @cached_property
    def reason(self) -> Callable[[Any], str]:
        return choice_labels(Enumeration, "reason")

    @cached_property
    def pending(self) -> str:
        return escape(gettext("Pending"))


def _badge(respondent: Any, labels: _OutcomeLabels) -> str:
    """ "Enumerated" with the method and date, "Not enumerated" with the reason, or
    "Pending" (no outcome yet), as plain formatting of escaped strings."""
    enumeration: Any = getattr(respondent, "enumeration", None)  # None when there is none yet
    status = enumeration.status if enumeration is not None else None
    if status == EnumerationStatus.ENUMERATED:
        day = f", {enumeration.enumerated_on:%d.%m.%Y}" if enumeration.enumerated_on else ""
        badge = (
            f'<span class="badge badge-ok">{labels.status(status)}</span> '
            f'<span class="muted">{labels.method(enumeration.method)}{day}</span>'
        )
    elif status == EnumerationStatus.NOT_ENUMERATED:
        badge = (
            f'<span class="badge badge-danger">{labels.status(status)}</span> '
            f'<span class="muted">{labels.reason(enumeration.reason)}</span>'
        )
    else:
        badge = f'<span class="badge badge-warn">{labels.pending}</span>'
    return badge


@register.simple_tag
def outcome_badge(respondent: Any) -> SafeString:
    """ "Enumerated" with the method and date, "Not enumerated" with the reason, or
    "Pending" (no outcome yet)."""
    return mark_safe(_badge(respondent, _OutcomeLabels()))  # noqa: S308 - every part is escaped


@register.simple_tag
def worklist_rows(people: Any) -> SafeString:
    """The worklist's table rows: the selection box, the person (an arrival marked, birth
    date and unit), the outcome, the certificate and the update link."""
    arrival = escape(gettext("arrival"))
    update = escape(gettext("Update"))
    link = row_link("enumeration:enumeration_edit")
    labels = _OutcomeLabels()
    select = gettext("Select %(name)s")
    lines = []
    for row in people:
        pk = row.pk
        name = escape(row.full_name)
        label = select % {"name": name}
        marked = f' <span class="badge">{arrival}</span>' if row.arrived_on else ""
        unit = f" · {escape(row.unit)}" if row.unit else ""
        born = f"{row.birth_date:%d.%m.%Y}" if row.birth_date else ""
        certificate = getattr(row, "certificate", None)
        number = f"№ {escape(certificate.display_number)}" if certificate else ""
        href = link(pk)
        lines.append(
            f'<tr><td><input type="checkbox" name="selected" value="{pk}" id="sel-{pk}" '
            f'aria-label="{label}"></td>'
            f'<td><label for="sel-{pk}" class="plain">{name}</label>{marked}'
            f'<span class="cell-note muted">{born}{unit}</span></td>'
            f"<td>{_badge(row, labels)}</td>"
            f'<td class="col-optional">{number}</td>'
            f'<td class="row-action"><a href="{href}">{update}'
            f'<span class="visually-hidden"> — {name}</span></a></td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped


@register.simple_tag
def reconciliation_rows(people: Any) -> SafeString:
    """The reconciliation's table rows: the institution, the person, their birth, arrival
    and departure dates, and the outcome."""
    labels = _OutcomeLabels()
    language = get_language() or "kk"
    names: dict[int, str] = {}  # institution id → its escaped name (one or two a page)
    lines = []
    for row in people:
        institution = row.respondent_list.institution
        if (name := names.get(institution.pk)) is None:
            name = names[institution.pk] = escape(
                institution_name(institution.name_kk, institution.name_ru, language)
            )
        born = f"{row.birth_date:%d.%m.%Y}" if row.birth_date else ""
        arrived = f"{row.arrived_on:%d.%m.%Y}" if row.arrived_on else ""
        departed = f"{row.departed_on:%d.%m.%Y}" if row.departed_on else ""
        lines.append(
            f"\n    <tr><td>{name}</td><td>{escape(row.full_name)}</td><td>{born}</td>"
            f"<td>{arrived}</td><td>{departed}</td><td>{_badge(row, labels)}</td></tr>\n  "
        )
    return mark_safe("".join(lines))  # noqa: S308 - every part is escaped
