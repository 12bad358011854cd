"""The readiness badge, a tag rather than an include: the board shows one per item and
institution (hundreds a page), and a template include costs a render of its own each."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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
def readiness_cells(row: InstitutionReadiness) -> SafeString:
    """A board row's cells, one badge per item: one tag a row, not a template loop and a tag
    per cell (a page has hundreds of cells)."""
    labels = _labels()
    cells = "".join(f"<td>{_badge(result, *labels)}</td>" for _item, result in row.results)
    return mark_safe(cells)  # noqa: S308 - every part is escaped
