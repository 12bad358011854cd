"""The readiness badge, a tag rather than an include: the board shows one per item and
institution (hundreds a page), and a template include costs a render of its own each."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from census_coord.row_links import row_link
from institutions.readiness import ItemResult
from institutions.selectors import InstitutionReadiness

register = template.Library()


def _badge(result: ItemResult, done: str, not_yet: str) -> str:
    """The badge of ``result`` with the (escaped) labels of both states."""
    if result.done:
        badge = f'<span class="badge badge-ok">{done}</span>'
    else:
        badge = f'<span class="badge badge-warn">{not_yet}</span>'
    if result.detail:
        badge += f' <span class="muted">{escape(result.detail)}</span>'
    return badge


def _labels() -> tuple[str, str]:
    return escape(gettext("Done")), escape(gettext("Not yet"))


@register.simple_tag
def readiness_badge(result: ItemResult) -> SafeString:
    """The "Done" or "Not yet" badge, then the item's detail (e.g. "3 of 4").

    Built by plain formatting of escaped strings: ``format_html`` costs a good deal more,
    several hundred times a page."""
    return mark_safe(_badge(result, *_labels()))  # noqa: S308 - every part is escaped


@register.simple_tag
def readiness_rows(rows: list[InstitutionReadiness]) -> SafeString:
    """The board's table rows: the institution (a link, its district and type), its score
    and its cells. One tag for the page's fifty rows rather than a template loop, whose
    every variable and tag a row would resolve and render one by one."""
    labels = _labels()
    link = row_link("institutions:institution_detail")
    lines = []
    for row in rows:
        institution = row.institution
        href = link(institution.pk)
        # One badge per item (hundreds a page): plain formatting, no tag per cell.
        cells = "".join(f"<td>{_badge(result, *labels)}</td>" for _item, result in row.results)
        lines.append(
            f'<tr><th scope="row"><a href="{href}">{escape(institution.name)}</a>'
            f'<span class="cell-note">{escape(institution.district)}</span>'
            f'<span class="cell-note muted">{escape(institution.type)}</span></th>'
            f'<td class="num">{row.done_count}/{row.total}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part is escaped
