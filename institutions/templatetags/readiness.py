"""The readiness badge, a tag rather than an include: the board shows one per item and
institution (hundreds a page), and a template include costs a render of its own each."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from institutions.readiness import ItemResult

register = template.Library()


@register.simple_tag
def readiness_badge(result: ItemResult) -> SafeString:
    """The "Done" or "Not yet" badge, then the item's detail (e.g. "3 of 4")."""
    badge = (
        format_html('<span class="badge badge-ok">{}</span>', gettext("Done"))
        if result.done
        else format_html('<span class="badge badge-warn">{}</span>', gettext("Not yet"))
    )
    if result.detail:
        return format_html('{} <span class="muted">{}</span>', badge, result.detail)
    return badge
