"""The dashboard's repeated figures as tags: a stacked bar per row, the chart's bars and the
daily table's rows. Each is a few hundred template nodes a page when written as an include
or a loop (every variable, filter and tag rendered one by one); formatted here they are the
same markup in a fraction of the time."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from census_coord.row_links import row_link
from enumeration.progress import Chart, Day, Progress, ProgressReport, ProgressRow

register = template.Library()


def _count(n: int) -> str:
    """A whole number as the template would show it: grouped only where the deployment
    groups thousands (``localize`` answers ``str(n)`` otherwise, at ten times the cost)."""
    return localize(n) if settings.USE_THOUSAND_SEPARATOR else str(n)


@register.simple_tag
def progress_bar(progress: Progress) -> SafeString:
    """A stacked bar of ``progress`` in percent of listed: methods, not enumerated,
    pending (``Progress.segments``), labelled with the share enumerated."""
    label = gettext("%(pct)s%% enumerated") % {"pct": localize(progress.percent_enumerated)}
    rects = "".join(
        f'<rect class="seg seg-{segment["key"]}" x="{segment["x"]:.2f}" '
        f'width="{segment["w"]:.2f}" height="10"></rect>'
        for segment in progress.segments()
        if segment["count"]
    )
    return mark_safe(  # noqa: S308 - the label is escaped, the rest are our numbers and keys
        f'<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}">{rects}</svg>'
    )


def _name_cell(level: str, *, department: bool, officer: bool) -> Callable[[ProgressRow], str]:
    """The main table's name cell: a link one level down (a region's districts, a district's
    institutions), else to the institution's worklist (the Department's view of it, or the
    officer's own), else the name alone (the commission)."""
    if level == "region":
        return lambda row: f'<a href="?region={row.pk}">{escape(row.name)}</a>'
    if level == "district":
        return lambda row: f'<a href="?district={row.pk}">{escape(row.name)}</a>'
    if department:
        link = row_link("enumeration:worklist_of")
        return lambda row: f'<a href="{link(row.pk)}">{escape(row.name)}</a>'
    if officer:
        own = escape(reverse("enumeration:worklist"))
        return lambda row: f'<a href="{own}">{escape(row.name)}</a>'
    return lambda row: escape(row.name)


@register.simple_tag
def progress_rows(report: ProgressReport, department: bool, officer: bool) -> SafeString:
    """The rows of the main table: the name, listed, a count per method, pending, not
    enumerated and the bar."""
    name = _name_cell(report.level, department=department, officer=officer)
    lines = []
    for row in report.rows:
        progress = row.progress
        methods = "".join(f'<td class="num">{_count(n)}</td>' for n in progress.by_method.values())
        lines.append(
            f'<tr><th scope="row">{name(row)}</th>'
            f'<td class="num">{_count(progress.listed)}</td>{methods}'
            f'<td class="num">{_count(progress.pending)}</td>'
            f'<td class="num">{_count(progress.not_enumerated)}</td>'
            f'<td class="chart-col">{progress_bar(progress)}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - the names are escaped, the rest numbers


@register.simple_tag
def reason_rows(rows: list[ProgressRow]) -> SafeString:
    """The rows of the table of reasons for not being enumerated: the name, a count each."""
    lines = []
    for row in rows:
        reasons = "".join(
            f'<td class="num">{_count(n)}</td>' for n in row.progress.by_reason.values()
        )
        lines.append(f'<tr><th scope="row">{escape(row.name)}</th>{reasons}</tr>')
    return mark_safe("\n".join(lines))  # noqa: S308 - the names are escaped, the rest numbers


@register.simple_tag
def type_rows(rows: list[ProgressRow]) -> SafeString:
    """The rows of the table by institution type: the type, listed, enumerated, pending,
    not enumerated and the bar."""
    lines = []
    for row in rows:
        progress = row.progress
        counts = "".join(
            f'<td class="num">{_count(n)}</td>'
            for n in (progress.listed, progress.enumerated, progress.pending)
        )
        lines.append(
            f'<tr><th scope="row">{escape(row.name)}</th>{counts}'
            f'<td class="num">{_count(progress.not_enumerated)}</td>'
            f'<td class="chart-col">{progress_bar(progress)}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - the names are escaped, the rest numbers


@register.simple_tag
def chart_bars(chart: Chart) -> SafeString:
    """The daily chart's bars, one per day and method, with the day and count as a title.
    SVG coordinates, so never localised (a decimal point in every language)."""
    return mark_safe(  # noqa: S308 - numbers, dates and method keys only
        "".join(
            f'<rect class="seg-method-{escape(bar["method"])}" x="{bar["x"]}" y="{bar["y"]}" '
            f'width="{bar["w"]}" height="{bar["h"]}">'
            f"<title>{bar['day']:%d.%m.%Y}: {bar['count']}</title></rect>"
            for bar in chart.bars
        )
    )


@register.simple_tag
def daily_rows(days: list[Day]) -> SafeString:
    """The rows of the daily figures' table: the date, a count per method, the running
    total."""
    lines = []
    for day in days:
        counts = "".join(f'<td class="num">{_count(n)}</td>' for n in day.by_method.values())
        lines.append(
            f'<tr><th scope="row">{day.day:%d.%m.%Y}</th>{counts}'
            f'<td class="num">{_count(day.cumulative)}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - dates and numbers only
