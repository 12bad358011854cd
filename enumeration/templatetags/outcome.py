"""A person's stage-2 outcome as a badge, a tag rather than an include: the worklist and
the reconciliation show one a row (fifty a page), and each include renders a template of
its own."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from enumeration.choices import EnumerationStatus

register = template.Library()


@register.simple_tag
def outcome_badge(respondent: Any) -> SafeString:
    """ "Enumerated" with the method and date, "Not enumerated" with the reason, or
    "Pending" (no outcome yet), as plain formatting of escaped strings."""
    enumeration = getattr(respondent, "enumeration", None)  # None when there is none yet
    status = enumeration.status if enumeration is not None else None
    if status == EnumerationStatus.ENUMERATED:
        day = f", {enumeration.enumerated_on:%d.%m.%Y}" if enumeration.enumerated_on else ""
        badge = (
            f'<span class="badge badge-ok">{escape(enumeration.get_status_display())}</span> '
            f'<span class="muted">{escape(enumeration.get_method_display())}{day}</span>'
        )
    elif status == EnumerationStatus.NOT_ENUMERATED:
        badge = (
            f'<span class="badge badge-danger">{escape(enumeration.get_status_display())}</span> '
            f'<span class="muted">{escape(enumeration.get_reason_display())}</span>'
        )
    else:
        badge = f'<span class="badge badge-warn">{escape(gettext("Pending"))}</span>'
    return mark_safe(badge)  # noqa: S308 - every part is escaped
