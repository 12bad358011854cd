"""The readiness badge, the board's rows and a checklist as tags rather than includes and
loops: the board shows a badge per item and institution (hundreds a page), and a template
include or loop resolves and renders each of its variables and tags one by one."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.forms import Form
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from census_coord.row_links import row_link
from institutions.readiness import ItemResult
from institutions.selectors import InstitutionReadiness

_ITEM = """
  <li>
    <strong>{label}</strong> — {badge}
    {note}
  </li>
  """

register = template.Library()


def _badges() -> tuple[str, str]:
    """The "Not yet" and "Done" badges (by ``done``: False, True), in the active language."""
    # Translated outside the f-strings: makemessages does not read calls inside them.
    not_yet, done = escape(gettext("Not yet")), escape(gettext("Done"))
    return (
        f'<span class="badge badge-warn">{not_yet}</span>',
        f'<span class="badge badge-ok">{done}</span>',
    )


def _badge(result: ItemResult, badges: tuple[str, str]) -> str:
    """The badge of ``result``, then its (escaped) detail."""
    badge = badges[bool(result.done)]
    if result.detail:
        return f'{badge} <span class="muted">{html.escape(str(result.detail))}</span>'
    return badge


@register.simple_tag
def readiness_badge(result: ItemResult) -> SafeString:
    """The "Done" or "Not yet" badge, then the item's detail (e.g. "3 of 4").

    Built by plain formatting of escaped strings: ``format_html`` costs a good deal more,
    several hundred times a page."""
    return mark_safe(_badge(result, _badges()))  # noqa: S308 - every part is escaped


@register.simple_tag
def readiness_rows(rows: list[InstitutionReadiness]) -> SafeString:
    """The board's table rows: the institution (a link, its district and type), its score
    and its cells. One tag for the page's fifty rows rather than a template loop, whose
    every variable and tag a row would resolve and render one by one.

    Escaped by ``html.escape``, as Django's ``escape`` does (without its check for lazy
    strings, a few hundred times a page); a district's and a type's name are escaped once
    a page (a region's fifty rows share a handful)."""
    badges = _badges()
    link = row_link("institutions:institution_detail")
    names: dict[tuple[type, int], str] = {}

    def name_of(reference: Any) -> str:
        key = (type(reference), reference.pk)
        if key not in names:
            names[key] = html.escape(str(reference))
        return names[key]

    lines = []
    for row in rows:
        institution = row.institution
        # One badge per item (hundreds a page): plain formatting, no tag per cell.
        cells = "".join(f"<td>{_badge(result, badges)}</td>" for _item, result in row.results)
        lines.append(
            f'<tr><th scope="row"><a href="{link(institution.pk)}">'
            f"{html.escape(institution.name)}</a>"
            f'<span class="cell-note">{name_of(institution.district)}</span>'
            f'<span class="cell-note muted">{name_of(institution.type)}</span></th>'
            f'<td class="num">{row.done_count}/{row.total}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped


_FIELD = """
  <div class="field">
    <label for="{id}">{label}</label>
    {widget}
  </div>
  """


@register.simple_tag
def board_filter_fields(*forms: Form) -> SafeString:
    """The board's filter fields, each a ``<div class="field">`` with its label: those of
    ``forms`` in order, but the filter's ``is_active`` (which the board does not offer).
    What a template loop per form gave, whitespace included, without resolving each
    field's variables and tags one by one."""
    shown = (
        "".join(
            _FIELD.format(
                id=conditional_escape(field.id_for_label),
                label=conditional_escape(field.label),
                widget=str(field),  # the widget's HTML (a SafeString), as {{ field }}
            )
            for field in form
            if field.name != "is_active"
        )
        for form in forms
    )
    return mark_safe("\n  ".join(shown))  # noqa: S308 - every part is escaped


@register.simple_tag
def readiness_checklist(readiness: InstitutionReadiness, linked: bool) -> SafeString:
    """The ``<li>`` of each item on one institution's checklist: its label (a link to the
    officer's page of that step when ``linked``), its badge and, while it is open, what to
    do (the item's hint for this state, or its next step)."""
    badges = _badges()
    recorded = html.escape(gettext("Recorded by the Department."))
    lines = []
    for item, result in readiness.results:
        label = html.escape(str(item.label))
        if linked and item.officer_page:
            label = f'<a href="{html.escape(item.officer_url())}">{label}</a>'
        note = ""
        if not result.done:
            by_department = f"{recorded} " if item.recorded_by_department else ""
            step = html.escape(str(result.hint or item.next_step))
            note = f'<br><span class="muted">{by_department}{step}</span>'
        lines.append(_ITEM.format(label=label, badge=_badge(result, badges), note=note))
    return mark_safe("".join(lines))  # noqa: S308 - every part is escaped
