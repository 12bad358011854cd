"""The readiness badge, a tag rather than an include: the board shows one per item and
institution (hundreds a page), and a template include costs a render of its own each."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from institutions.readiness import ItemResult

register = template.Library()


@register.simple_tag
def readiness_badge(result: ItemResult) -> SafeString:
    """The "Done" or "Not yet" badge, then the item's detail (e.g. "3 of 4").

    Built by plain formatting of escaped strings (``format_html`` costs a good deal more,
    several hundred times a page)."""
    if result.done:
        badge = f'<span class="badge badge-ok">{escape(gettext("Done"))}</span>'
    else:
        badge = f'<span class="badge badge-warn">{escape(gettext("Not yet"))}</span>'
    if result.detail:
        badge += f' <span class="muted">{escape(result.detail)}</span>'
    return mark_safe(badge)  # noqa: S308 - every part is escaped above
