"""The sync board's rows, one tag rather than a template loop: a board of a region's tablets
renders every variable, filter, link and translation of each row one by one otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from census_coord.row_links import row_link
from sync.models import SyncChannel
from sync.selectors import TabletRow

register = template.Library()

DASH = "—"


def _number(value: Any) -> str:
    """``{{ value|default_if_none:"—" }}`` of a count."""
    return DASH if value is None else escape(formats.localize(value))


def _moment(value: dt.datetime | None) -> str:
    """``{{ value|date:"d.m.Y H:i" }}``: in the current time zone."""
    return "" if value is None else f"{timezone.localtime(value):%d.%m.%Y %H:%M}"


@register.simple_tag
def sync_board_rows(
    rows: Sequence[TabletRow], can_issue_key: bool, is_officer: bool, shows_delivery: bool
) -> SafeString:
    """The tablet, its badges (stale or syncing, USB only, offloads not uploaded), its
    institution (not for an officer: their own), the last sync with its channel and age,
    the forms of the last and of all syncs, what the census database received of them
    (``shows_delivery``) and the clock skew. The fixed words and the channels' labels are
    translated once for the page's rows; the layout is the template's it replaced."""
    key_link = row_link("sync:kit_device_key")
    history_link = row_link("sync:institution_history")
    channels = {value: escape(str(label)) for value, label in SyncChannel.choices}
    key_title = escape(gettext("Device key"))
    # The words outside the f-strings: ``makemessages`` does not look inside them.
    stale, syncing, usb_only = gettext("stale"), gettext("syncing"), gettext("USB only")
    stale = f'<span class="badge badge-danger">{escape(stale)}</span>'
    syncing = f'<span class="badge badge-ok">{escape(syncing)}</span>'
    usb_only = f'<span class="badge badge-warn">{escape(usb_only)}</span>'
    not_uploaded = gettext("offloads not uploaded: %(count)s")
    never = escape(gettext("never"))
    lines = []
    for row in rows:
        kit = row.kit
        number: str = escape(kit.inventory_number)
        if can_issue_key:
            number = f'<a href="{key_link(kit.pk)}" title="{key_title}">{number}</a>'
        state = stale if row.stale else syncing if row.last_received_at else ""
        offloads = ""
        if row.usb_not_uploaded:
            counted = not_uploaded % {"count": _number(row.usb_not_uploaded)}
            offloads = f'<span class="badge badge-warn">{counted}</span>'
        holder = ""
        if not is_officer:
            institution = kit.holder_institution
            assert institution is not None  # noqa: S101 - a handed-over kit's (a constraint)
            name = escape(institution.name)
            holder = f'<td><a href="{history_link(institution.pk)}">{name}</a></td>'
        if row.last_received_at:
            age = ""
            if row.hours_since_sync is not None:
                hours = row.hours_since_sync
                ago = ngettext("%(hours)s hour ago", "%(hours)s hours ago", hours)
                age = " · " + ago % {"hours": _number(hours)}
            label = channels.get(row.last_channel, "")  # ``TabletRow.last_channel_label``
            last = (
                f'{_moment(row.last_received_at)}<span class="cell-note muted">{label}{age}</span>'
            )
        else:
            last = never
        delivery = ""
        if shows_delivery:
            missing = (
                f'<span class="badge badge-warn">{_number(row.forms_missing)}</span>'
                if row.forms_missing
                else _number(row.forms_missing)
            )
            delivery = (
                f'<td class="num">{_number(row.forms_received)}</td>\n'
                f'      <td class="num">{missing}</td>\n'
                f"      <td>{_moment(row.last_delivery_at) or DASH}</td>"
            )
        lines.append(
            "\n    <tr>\n"
            f'      <th scope="row">{number}</th>\n'
            "      <td>\n"
            f"        {state}\n"
            f"        {usb_only if row.usb_only else ''}\n"
            f"        {offloads}\n"
            "      </td>\n"
            f"      {holder}\n"
            f"      <td>{last}</td>\n"
            f'      <td class="num">{_number(row.last_form_count)}</td>\n'
            f'      <td class="num">{_number(row.forms_total)}</td>\n'
            f"      {delivery}\n"
            f'      <td class="num">{_number(row.clock_skew_minutes)}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(lines))  # noqa: S308 - every part is escaped
