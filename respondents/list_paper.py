"""The stage-1 list as an official paper (тізім / список) in Kazakh or Russian, for the head
of the institution to sign: institution, BIN, district, reference date, every person as of
that date, totals by citizenship and residence status, the head's and the responsible staff
member's signature lines.

Rendered by the shared ``census_coord.pdf.render_pdf`` (WeasyPrint with the fonts shipped in
the repo); the rows are streamed from the database, so a list of thousands renders without
holding model instances for all of them. A list of more than ``LIST_PAPER_BACKGROUND_ROWS``
people is rendered by a worker instead (``respondents.list_paper_jobs``), through the same
``render_list_paper``.

WeasyPrint's time grows with the people's cells, so the table is laid out with
``table-layout: fixed`` and the widths of ``COLUMN_WIDTHS_MM``: the automatic layout measured
the shortest and longest line of every cell of the list, on every page, before placing any
(a fifth of the time; ``docs/PERFORMANCE.md``, *List PDF*).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import dateformat

from census_coord import clock
from census_coord.pdf import render_pdf
from census_coord.typing import StrOrPromise
from institutions.models import ResponsibleStaff
from respondents.choices import Citizenship, ListStatus, ResidenceStatus
from respondents.models import Respondent, RespondentList
from respondents.row_schema import PRINTED_FIELDS, Kind, RowField
from respondents.selectors import respondent_list_counts

TEMPLATE = "respondents/pdf/list.html"
ROWS_CHUNK = 2000
# Widths on A4 landscape (the table is 261 mm wide), measured at 9pt with the padding: each
# holds its header and its usual values on one line ("№" five digits, "Константиновна",
# "Гражданин Казахстана", "Постоянно проживающий"); a longer value wraps inside its cell, a
# word too long for it breaks. The residence status (and any printed field not named here)
# shares what is left, about 50 mm.
NUMBER_WIDTH_MM = 13
COLUMN_WIDTHS_MM: dict[str, int] = {
    "surname": 30,
    "given_name": 24,
    "patronymic": 31,
    "birth_date": 22,
    "sex": 20,
    "citizenship": 43,
    "iin": 28,
}


def _responsible_staff(respondent_list: RespondentList, printed_by: Any) -> ResponsibleStaff | None:
    """The staff record of the officer who submitted the list, else of the one printing it;
    None (a blank line on the paper) when neither is an active staff member of the list's
    institution."""
    submission = (
        respondent_list.transitions.filter(to_status=ListStatus.SUBMITTED)
        .select_related("actor__staff_record")
        .last()
    )
    for account in (submission.actor if submission else None, printed_by):
        staff = getattr(account, "staff_record", None)
        if (
            staff is not None
            and staff.is_active
            and staff.institution_id == respondent_list.institution_id
        ):
            return staff
    return None


def _cell(field: RowField) -> Callable[[Respondent], str]:
    """How the paper writes a row field: a date as DD.MM.YYYY, a choice by its label (a
    foreign citizen's with the country in brackets), a missing IIN as a dash."""
    name = field.name
    if field.kind is Kind.DATE:
        return lambda row: dateformat.format(getattr(row, name), "d.m.Y")
    if field.kind is Kind.IIN:
        return lambda row: getattr(row, name) or "—"
    if name == "citizenship":
        return lambda row: (
            f"{row.get_citizenship_display()} ({row.citizenship_country})"
            if row.citizenship_country
            else str(row.get_citizenship_display())
        )
    if field.choices is not None:
        display = f"get_{name}_display"
        return lambda row: str(getattr(row, display)())
    return lambda row: str(getattr(row, name))


_CELLS = [_cell(field) for field in PRINTED_FIELDS]


def paper_rows(rows: Iterable[Respondent]) -> Iterator[list[str]]:
    """Each row as the paper's cells, in ``row_schema.PRINTED_FIELDS`` order (streamed)."""
    for row in rows:
        yield [cell(row) for cell in _CELLS]


def paper_columns() -> list[tuple[StrOrPromise, int | None]]:
    """The people's columns after "№": each printed field's label (lazy: the paper is
    rendered in its own language) and its width in mm (None: a share of the rest)."""
    return [(field.label, COLUMN_WIDTHS_MM.get(field.name)) for field in PRINTED_FIELDS]


def list_totals(rows: QuerySet[Respondent]) -> dict[str, Any]:
    """The paper's totals: people by citizenship and by residence status, every category
    printed (a zero included), from one aggregate query."""
    counts = respondent_list_counts(respondents=rows)
    return {
        "total": counts["total"],
        "citizenship": [
            (label, counts[f"citizenship_{value}"]) for value, label in Citizenship.choices
        ],
        "residence": [
            (label, counts[f"residence_{value}"]) for value, label in ResidenceStatus.choices
        ],
    }


def respondent_list_paper(
    *, respondent_list: RespondentList, rows: QuerySet[Respondent], language: str, printed_by: Any
) -> dict[str, Any]:
    """What ``TEMPLATE`` prints of ``rows`` (the list as of the reference date, read through
    the actor's scope) in ``language``."""
    return paper_context(
        respondent_list=respondent_list,
        rows=rows.order_by("surname", "given_name", "patronymic", "pk").iterator(
            chunk_size=ROWS_CHUNK
        ),
        totals=list_totals(rows),
        staff=_responsible_staff(respondent_list, printed_by),
        language=language,
    )


def paper_context(
    *,
    respondent_list: RespondentList,
    rows: Iterable[Respondent],
    totals: dict[str, Any],
    staff: ResponsibleStaff | None,
    language: str,
) -> dict[str, Any]:
    """``TEMPLATE``'s context for ``rows`` in their printed order (``bench/list_pdf_bench.py``
    renders it for people built in memory)."""
    return {
        "respondent_list": respondent_list,
        "institution": respondent_list.institution,
        "campaign": respondent_list.campaign,
        "number_width": NUMBER_WIDTH_MM,
        "columns": paper_columns(),
        "rows": paper_rows(rows),
        "totals": totals,
        "staff": staff,
        "staff_position": staff.position_in(language) if staff else "",
        "printed_on": clock.today(),
    }


def render_list_paper(
    *, respondent_list: RespondentList, rows: QuerySet[Respondent], language: str, printed_by: Any
) -> tuple[bytes, int]:
    """The paper of ``rows`` as PDF bytes, and how many people it names: the one rendering
    of the document, for the direct print and for the worker alike."""
    context = respondent_list_paper(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=printed_by
    )
    content = render_pdf(template_name=TEMPLATE, context=context, language=language)
    return content, context["totals"]["total"]


def paper_filename(respondent_list: RespondentList, language: str) -> str:
    """The download's name: institution BIN, today's date and the language (no names)."""
    stamp = clock.today().strftime("%Y%m%d")
    return f"list-{respondent_list.institution.bin}-{stamp}-{language}.pdf"


def printed_by_worker(people: int) -> bool:
    """Whether a paper of ``people`` rows (the list as of the reference date) is rendered by
    the worker (``list_paper_jobs``) rather than in the request: the one place of the rule,
    for the list page's buttons, the print and its start alike."""
    return people > settings.LIST_PAPER_BACKGROUND_ROWS


def content_version(
    *,
    respondent_list: RespondentList,
    rows: QuerySet[Respondent],
    language: str,
    printed_by: Any,
) -> str:
    """A digest of what the paper of ``rows`` would print: a stored paper whose version is
    not this one is out of date. Any row added, edited or removed changes the count, the
    highest id or the latest ``updated_at``; a change of the list (its status) changes its
    ``updated_at``, one of the institution (its name, address, head) the institution's; the
    signing staff member is the paper's own (``_responsible_staff``: the submitter's, else
    the reader's record, with the name and position printed); the day changes the "printed
    on" date."""
    state = rows.aggregate(count=Count("pk"), last_pk=Max("pk"), last_change=Max("updated_at"))
    last_change = state["last_change"].isoformat() if state["last_change"] else ""
    staff = _responsible_staff(respondent_list, printed_by)
    institution = respondent_list.institution
    parts = [
        respondent_list.pk,
        respondent_list.updated_at.isoformat(),
        institution.updated_at.isoformat(),
        staff.pk if staff else "",
        staff.full_name if staff else "",
        staff.position_in(language) if staff else "",
        state["count"],
        state["last_pk"] or 0,
        last_change,
        language,
        clock.today().isoformat(),
    ]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
