"""What the census-database import reads a row by, for both of its paths (row by row in
``censusdb.services`` on SQLite, set-based in ``censusdb.bulk_import`` on PostgreSQL): one
copy of each rule."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from censusdb.models import CensusMethod
from enumeration.selectors import listed_q
from enumeration.services import ONLINE_METHODS
from institutions.models import Campaign
from respondents.models import Respondent

# The census records' columns both import paths write, in this order, and what a newer
# export of a form (same campaign and form number) replaces.
RECORD_COLUMNS = (
    "campaign_id",
    "form_number",
    "iin",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "method",
    "completed_at",
    "tablet_ref",
    "bin",
    "institution_id",
    "exact_key",
    "variant_key",
    "content_hash",
    "export_id",
    "state",
    "match_kind",
    "match_scope",
    "respondent_id",
    "updated_at",
)


def record_upsert(table: str, *, alias: str = "") -> tuple[str, str]:
    """``INSERT INTO table (columns)`` and its ``ON CONFLICT … DO UPDATE SET`` of every
    other column from the incoming row, for an ``INSERT … SELECT`` of ``RECORD_COLUMNS``."""
    named = f"{table} AS {alias}" if alias else table
    insert = f"INSERT INTO {named} ({', '.join(RECORD_COLUMNS)}) "
    replaced = [name for name in RECORD_COLUMNS if name not in ("campaign_id", "form_number")]
    update = "ON CONFLICT (campaign_id, form_number) DO UPDATE SET " + ", ".join(
        f"{name} = excluded.{name}" for name in replaced
    )
    return insert, update


# What matching reads of a listed person, in this order (both import paths).
LISTED_FIELDS = (
    "pk",
    "surname",
    "given_name",
    "birth_date",
    "respondent_list__institution_id",
    "respondent_list__institution__district__region_id",
)


def listed_people(campaign: Campaign, *more: str) -> QuerySet[Respondent, tuple[Any, ...]]:
    """The campaign's listed people as ``LISTED_FIELDS`` (and ``more``), unordered."""
    return (
        Respondent.objects.filter(listed_q(campaign)).order_by().values_list(*LISTED_FIELDS, *more)
    )


PREVIEW_ERRORS = 100

_METHODS = {
    "online": CensusMethod.ONLINE,
    "онлайн": CensusMethod.ONLINE,
    "sanaq.gov.kz": CensusMethod.ONLINE,
    "internet": CensusMethod.ONLINE,
    "интернет": CensusMethod.ONLINE,
    "tablet": CensusMethod.TABLET,
    "планшет": CensusMethod.TABLET,
    "cati": CensusMethod.TABLET,
}
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _error(line: int, field: str, message: str) -> dict[str, Any]:
    return {"row": line, "field": field, "message": message}


def _completed_at(value: Any) -> dt.datetime | None:
    """When a form was completed: a spreadsheet moment or date, ISO 8601, or day first
    ``DD.MM.YYYY[ HH:MM[:SS]]`` (local time without an offset; a date alone is noon)."""
    moment: dt.datetime | None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(12))
    else:
        text = str(value or "").strip()
        moment = None
        day_first = _DAY_FIRST.match(text)
        try:
            if day_first:
                day, month, year, hour, minute, second = day_first.groups()
                moment = dt.datetime(  # noqa: DTZ001  # made aware below
                    int(year), int(month), int(day), int(hour or 12), int(minute or 0),
                    int(second or 0),
                )  # fmt: skip
            elif _ISO_START.match(text):
                moment = dt.datetime.fromisoformat(text)
                if len(text) == 10:
                    moment = moment.replace(hour=12)
        except ValueError:
            moment = None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _officer_side_sql(alias: str) -> str:
    """``officer_side`` of the enumeration row ``alias`` as one ``jsonb`` expression."""
    return (
        f"jsonb_build_object('status', {alias}.status, 'method', {alias}.method, "
        f"'reason', {alias}.reason, 'enumerated_on', "
        f"COALESCE(to_char({alias}.enumerated_on, 'YYYY-MM-DD'), ''), "
        f"'registration_number', {alias}.registration_number, 'source', {alias}.source)"
    )


def _family_sql(column: str) -> str:
    online = ", ".join(f"'{m}'" for m in ONLINE_METHODS)
    return f"CASE WHEN {column} IN ({online}) THEN 'online' ELSE {column} END"
