"""Stage-2 progress: counts per institution, per district or region, and per type.

The dashboard, its export and the readiness board read the counters that
``enumeration.progress_services`` keeps per list (``ListProgress``) and per list, day and
method (``DailyProgress``), never the respondent rows. A region's or the country's page
sums the counters per place and type in SQL (one grouped query of a few hundred rows at
most) and reads the daily series; one district's page and the export read a row per
institution (its counters, districts and types: three queries). Whatever the number of
institutions and people, the number of queries stays the same.
``counts_by_institution`` still counts raw rows, for the printed worklist (which prints
every row anyway) and for checking the counters against a fresh recount; the worklist page's
summary reads the counters (``progress_of_institutions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, FilteredRelation, Min, Q, QuerySet, Sum, Value
from django.db.models.expressions import CombinedExpression, RawSQL
from django.utils.translation import get_language

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord.db import compile_query, fetch_rows
from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from enumeration.models import DailyProgress, ListProgress
from enumeration.progress_services import counter_filters
from enumeration.selectors import listed_q, listed_respondents
from institutions.models import Campaign, District, Institution, InstitutionType, Region
from institutions.models.institution import institution_name
from institutions.readiness import institution_figures, per_campaign
from institutions.selectors import institution_list
from respondents.models import Respondent

METHODS = tuple(EnumerationMethod.values)
REASONS = tuple(NonEnumerationReason.values)


@dataclass
class Progress:
    """Figures of one institution or of a group of them."""

    listed: int = 0
    by_method: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    by_reason: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))

    @property
    def enumerated(self) -> int:
        return sum(self.by_method.values())

    @property
    def not_enumerated(self) -> int:
        return sum(self.by_reason.values())

    @property
    def pending(self) -> int:
        return self.listed - self.enumerated - self.not_enumerated

    @property
    def percent_enumerated(self) -> float:
        return round(100 * self.enumerated / self.listed, 1) if self.listed else 0.0

    def add(self, other: Progress) -> None:
        self.listed += other.listed
        for key, value in other.by_method.items():
            self.by_method[key] += value
        for key, value in other.by_reason.items():
            self.by_reason[key] += value

    def segments(self) -> list[dict[str, Any]]:
        """Parts of a stacked bar in percent of listed: methods, not enumerated, pending."""
        parts = [(f"method-{k}", v) for k, v in self.by_method.items()]
        parts += [("not-enumerated", self.not_enumerated), ("pending", self.pending)]
        total = self.listed or 1
        result, x = [], 0.0
        for key, value in parts:
            width = 100 * value / total
            result.append({"key": key, "count": value, "x": round(x, 2), "w": round(width, 2)})
            x += width
        return result


class ProgressRow:
    """One line of a report: an institution, a district, a region or a type.

    A region's report holds a row per institution that its page does not show (the export
    and the district level do), so such a row may be given its counts and a loader instead,
    and builds its ``Progress`` and ``Institution`` on first access.
    """

    __slots__ = ("_counts", "_institution", "_load", "_progress", "name", "pk")

    def __init__(
        self,
        pk: int,
        name: str,
        progress: Progress | None = None,
        institution: Institution | None = None,
        *,
        counts: tuple[int, ...] | None = None,
        load: Callable[[], Institution] | None = None,
    ) -> None:
        self.pk, self.name = pk, name
        self._progress, self._counts = progress, counts
        self._institution, self._load = institution, load

    @property
    def progress(self) -> Progress:
        if self._progress is None:
            self._progress = _progress(self._counts or NO_COUNTS)
        return self._progress

    @property
    def institution(self) -> Institution | None:
        if self._institution is None and self._load is not None:
            self._institution = self._load()
        return self._institution

    def __repr__(self) -> str:
        return f"ProgressRow({self.pk}, {self.name!r})"


COUNTER_COLUMNS = ("listed", *counter_filters())
Counts = tuple[int, ...]  # one value per COUNTER_COLUMNS
NO_COUNTS: Counts = (0,) * len(COUNTER_COLUMNS)


# Where ``WithinInstitutions`` puts the selection's SQL: a subquery of its own, unique.
_SELECTION = "SELECT /* the selection of institutions */ NULL"


class WithinInstitutions:
    """The rows of a grouped query over a selection of institutions, its SQL compiled once.

    ``build(institutions)`` gives the query (a ``values_list``) for the institutions whose
    primary key is among ``institutions``; it is compiled once with a placeholder, and each
    call compiles only the selection (``rows(selection)``: the user's scope and the level,
    a short query) and runs it in the placeholder's place, as a subquery. Compiling the
    daily series or the reconciliation's per-list counts cost about 1 ms of Python a
    request, the same every time; the selection, which decides which institutions count,
    is compiled afresh every time. (Not for the sums per place and type of
    ``progress_report``: there the subquery scans the institutions a second time, which
    cost PostgreSQL as much as compiling saved.)
    Only for a ``build`` that depends on nothing but the campaign (keep one per campaign,
    with ``institutions.readiness.per_campaign``)."""

    def __init__(self, build: Callable[[Any], QuerySet[Any]]) -> None:
        queryset = build(RawSQL(_SELECTION, ()))  # noqa: S611 - a constant, replaced below
        sql, self.params, self.converters, _compiler = compile_query(queryset.query, queryset.db)
        if sql.count(_SELECTION) != 1 or "%%" in sql:
            raise ValueError("the selection's placeholder is not found once")
        self.db = queryset.db
        self.head, self.tail = sql.split(_SELECTION)
        self.index = self.head.count("%s")  # the selection's parameters go here

    def rows(self, selection: QuerySet[Any]) -> list[tuple[Any, ...]]:
        """The query's rows for the institutions of ``selection`` (a ``values("pk")``)."""
        inner, inner_params = selection.query.get_compiler(using=self.db).as_sql()
        params = [*self.params[: self.index], *inner_params, *self.params[self.index :]]
        sql = f"{self.head}{inner}{self.tail}"
        return fetch_rows(connections[self.db], sql, params, self.converters)


def pending_of_counters() -> CombinedExpression:
    """``Progress.pending`` of a ``ListProgress`` row, in SQL: listed, less everyone with an
    outcome (enumerated or not)."""
    return F("listed") - sum((F(column) for column in COUNTER_COLUMNS[1:]), Value(0))


def _progress(counts: Counts) -> Progress:
    n_methods = len(METHODS)
    return Progress(
        listed=counts[0],
        by_method=dict(zip(METHODS, counts[1 : 1 + n_methods], strict=True)),
        by_reason=dict(zip(REASONS, counts[1 + n_methods :], strict=True)),
    )


def _sum(rows: list[Counts]) -> Progress:
    return _progress(tuple(sum(column) for column in zip(*rows, strict=True)) or NO_COUNTS)


def counts_by_institution(respondents: QuerySet[Respondent]) -> dict[int, Progress]:
    """One grouped query over already filtered, listed respondents (raw rows, no counters)."""
    aggregates = {"listed": Count("pk")}
    aggregates.update({name: Count("pk", filter=q) for name, q in counter_filters().items()})
    rows = (
        respondents.order_by()
        .values("respondent_list__institution_id")
        .annotate(**aggregates)
        .values_list("respondent_list__institution_id", *COUNTER_COLUMNS)
    )
    return {institution_id: _progress(counts) for institution_id, *counts in rows}


def _counts(counters: QuerySet[ListProgress]) -> dict[int, Counts]:
    """Counter rows by institution (a campaign has one list per institution)."""
    return {
        institution_id: tuple(counts)
        for institution_id, *counts in counters.values_list("institution_id", *COUNTER_COLUMNS)
    }


def _from_counters(counters: QuerySet[ListProgress]) -> dict[int, Progress]:
    return {pk: _progress(counts) for pk, counts in _counts(counters).items()}


# In the model's order of fields: ``Model.from_db`` matches values to fields by position.
INSTITUTION_FIELDS = ("id", "bin", "name_kk", "name_ru", "type_id", "district_id", "is_active")
ID, NAME_KK, NAME_RU, TYPE, DISTRICT = 0, 2, 3, 4, 5


def _name(obj: Any) -> str:
    return obj.name


@dataclass
class ProgressReport:
    """Everything the dashboard shows for one level of the drill-down.

    ``institutions`` (a row per institution, which the export and the institution level
    show) is read on first access: a region's or the country's page shows only the groups,
    summed in SQL, and never builds a row per institution."""

    total: Progress
    rows: list[ProgressRow]
    by_type: list[ProgressRow]
    level: str  # "region", "district" or "institution"
    read_institutions: Callable[[], list[ProgressRow]] = field(repr=False)

    @cached_property
    def institutions(self) -> list[ProgressRow]:
        return self.read_institutions()


def progress_report(
    *, user: Actor, campaign: Campaign, region_id: int | None = None, district_id: int | None = None
) -> ProgressReport:
    """Figures of every institution the user may see, grouped for the chosen level.

    The region and district levels: one grouped query, the counters (``ListProgress``)
    summed per place and type with their names (a few hundred rows for the country, a few
    dozen for a region); ``institutions`` is read only when asked for. The institution
    level (one district): the institutions' own counters, their districts and types.
    """
    institutions = institution_list(user=user)
    if district_id is not None:
        institutions = institutions.filter(district_id=district_id)
    elif region_id is not None:
        institutions = institutions.filter(district__region_id=region_id)
    level = "institution" if district_id is not None else "district" if region_id else "region"
    counters = FilteredRelation("list_progress", condition=Q(list_progress__campaign=campaign))
    # Inactive institutions still appear while anyone on their list is counted.
    selection = institutions.annotate(counters=counters).filter(
        Q(is_active=True) | Q(counters__listed__gt=0)
    )
    if level == "institution":
        rows = _institution_rows(selection)
        return ProgressReport(
            total=_sum([row.counts for row in rows]),
            rows=[row.row for row in rows],
            by_type=_summed_rows(((row.type, row.counts) for row in rows), by_pk=True),
            level=level,
            read_institutions=lambda: [row.row for row in rows],
        )
    place = "district__region" if level == "region" else "district"
    sums = _summed(selection, place, Region if level == "region" else District)
    return ProgressReport(
        total=_sum([counts for _place, _type, counts in sums]),
        rows=_summed_rows((place, counts) for place, _type, counts in sums),
        by_type=_summed_rows(((kind, counts) for _place, kind, counts in sums), by_pk=True),
        level=level,
        read_institutions=lambda: [row.row for row in _institution_rows(selection)],
    )


def _summed_rows(parts: Iterable[tuple[Any, Counts]], *, by_pk: bool = False) -> list[ProgressRow]:
    """A row per distinct place or type of ``parts``, its counts summed; in the order they
    first come, or by primary key (the types)."""
    grouped: dict[int, tuple[Any, list[Counts]]] = {}
    for obj, counts in parts:
        grouped.setdefault(obj.pk, (obj, []))[1].append(counts)
    items = sorted(grouped.items()) if by_pk else grouped.items()
    return [ProgressRow(pk, _name(obj), _sum(rows)) for pk, (obj, rows) in items]


Named = Region | District | InstitutionType
NAMES = ("name_kk", "name_ru", "name_en")


def _summed(
    selection: QuerySet[Institution], place: str, model: type[Region | District]
) -> list[tuple[Named, Named, Counts]]:
    """The counters of ``selection`` summed per place (``place``: the path to a region or
    a district) and institution type, in one grouped query: (place, type, counts), the
    place and the type as unsaved instances holding their pk and names (``name`` answers
    in the active language).

    In the order of each place's first district code (a district's code is unique), as the
    institutions come at the institution level (district code, then name)."""
    sums = {f"sum_{column}": Sum(f"counters__{column}") for column in COUNTER_COLUMNS}
    columns = (
        f"{place}_id",
        *(f"{place}__{name}" for name in NAMES),
        "type_id",
        *(f"type__{name}" for name in NAMES),
    )
    values = (
        selection.order_by()
        .values(*columns)
        .annotate(first=Min("district__code"), **sums)
        .order_by("first", "type_id")
        .values_list(*columns, *sums)
    )
    places: dict[int, Named] = {}
    types: dict[int, Named] = {}
    result = []
    width = len(columns)
    for value in values:
        place_pk, type_pk, counts = value[0], value[4], value[width:]
        if place_pk not in places:
            places[place_pk] = model(pk=place_pk, **dict(zip(NAMES, value[1:4], strict=True)))
        if type_pk not in types:
            names = dict(zip(NAMES, value[5:8], strict=True))
            types[type_pk] = InstitutionType(pk=type_pk, **names)
        # A group none of whose institutions has counters sums to NULL: nothing counted.
        summed = tuple(counts) if counts[0] is not None else NO_COUNTS
        result.append((places[place_pk], types[type_pk], summed))
    return result


@dataclass(frozen=True)
class _InstitutionRow:
    row: ProgressRow
    type: InstitutionType
    counts: Counts


def _institution_rows(selection: QuerySet[Institution]) -> list[_InstitutionRow]:
    """A row per institution of ``selection`` (annotated with its ``counters``), in the
    order of the reports: district code, then name. Three queries: the institutions with
    their counters, their districts (with regions), their types.

    A region has hundreds of institutions (the country thousands), so they are read as
    plain values rather than with ``select_related`` (four model instances per row and
    every place name repeated): each district, region and type is built once and shared,
    and a row builds its ``Institution`` only when asked for (the export)."""
    values = list(
        selection.order_by("district__code", "name_kk").values_list(
            *INSTITUTION_FIELDS, *(f"counters__{c}" for c in COUNTER_COLUMNS)
        )
    )
    districts = District.objects.select_related("region").in_bulk({v[DISTRICT] for v in values})
    types = InstitutionType.objects.in_bulk({v[TYPE] for v in values})
    district_field = Institution._meta.get_field("district")
    type_field = Institution._meta.get_field("type")
    width = len(INSTITUTION_FIELDS)

    def load(value: tuple[Any, ...]) -> Callable[[], Institution]:
        def build() -> Institution:
            # Only the fields reports show; any other loads on access, like a deferred one.
            institution = Institution.from_db(None, INSTITUTION_FIELDS, value[:width])
            district_field.set_cached_value(institution, districts[value[DISTRICT]])
            type_field.set_cached_value(institution, types[value[TYPE]])
            return institution

        return build

    language = get_language() or "kk"
    rows = []
    for value in values:
        counts = value[width:] if value[width] is not None else NO_COUNTS
        row = ProgressRow(
            value[ID],
            institution_name(value[NAME_KK], value[NAME_RU], language),
            counts=counts,
            load=load(value),
        )
        rows.append(_InstitutionRow(row, types[value[TYPE]], counts))
    return rows


@dataclass
class Day:
    day: dt.date
    by_method: dict[str, int]
    cumulative: int

    @property
    def total(self) -> int:
        return sum(self.by_method.values())


def _daily_of(campaign: Campaign) -> WithinInstitutions:
    """The daily counters of ``campaign`` summed per day and method."""
    return WithinInstitutions(
        lambda within: (
            DailyProgress.objects.filter(campaign=campaign, institution_id__in=within)
            .order_by()
            .values("day", "method")
            .annotate(n=Sum("enumerated"))
            .values_list("day", "method", "n")
        )
    )


def progress_daily(
    *,
    user: Actor,
    campaign: Campaign,
    region_id: int | None = None,
    district_id: int | None = None,
) -> list[Day]:
    """People enumerated per day and method, with the running total (one query, compiled
    once per campaign: ``WithinInstitutions``; the user's scope and the level every time)."""
    institutions = scope_queryset(Institution.objects.order_by(), user=user, institution_path="")
    if district_id is not None:
        institutions = institutions.filter(district_id=district_id)
    elif region_id is not None:
        institutions = institutions.filter(district__region_id=region_id)
    try:
        rows = per_campaign("progress_daily", campaign, _daily_of).rows(institutions.values("pk"))
    except EmptyResultSet:  # a selection of nothing (``none()``)
        rows = []
    days: dict[dt.date, dict[str, int]] = {}
    for day, method, n in rows:
        days.setdefault(day, dict.fromkeys(METHODS, 0))[method] = n
    series: list[Day] = []
    running = 0
    for day in sorted(days):
        running += sum(days[day].values())
        series.append(Day(day, days[day], running))
    return series


def _institutions_with_counters(campaign: Campaign) -> QuerySet[Institution]:
    """Every institution with its list's counters of ``campaign`` (``stage2``; one list per
    institution and campaign, so one row each)."""
    return Institution.objects.order_by().annotate(
        stage2=FilteredRelation("list_progress", condition=Q(list_progress__campaign=campaign))
    )


STAGE2_FIELDS = ("pk", *(f"stage2__{column}" for column in COUNTER_COLUMNS))


def progress_of_institutions(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, Progress]:
    """Figures for the readiness board (already scoped institutions) with anyone listed,
    one query over the counters (on a board, compiled once per campaign:
    ``institutions.readiness.institution_figures``)."""
    rows = institution_figures(
        institutions, campaign, "stage2_figures", _institutions_with_counters, STAGE2_FIELDS
    )
    return {pk: _progress(tuple(counts)) for pk, *counts in rows if counts[0]}


def flatten_for_export(rows: Iterable[ProgressRow]) -> Iterable[list[Any]]:
    for row in rows:
        institution = row.institution
        progress = row.progress
        yield [
            _name(institution.district.region) if institution else "",
            _name(institution.district) if institution else "",
            _name(institution.type) if institution else "",
            institution.bin if institution else "",
            row.name,
            progress.listed,
            *progress.by_method.values(),
            progress.enumerated,
            progress.pending,
            *progress.by_reason.values(),
            progress.not_enumerated,
            progress.percent_enumerated,
        ]


# What the reconciliation's rows show (``reconciliation_rows``), and nothing else.
RECONCILIATION_COLUMNS = (
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "arrived_on",
    "departed_on",
    "respondent_list__institution__name_kk",
    "respondent_list__institution__name_ru",
    "enumeration__status",
    "enumeration__method",
    "enumeration__reason",
    "enumeration__enumerated_on",
)


def reconciliation_section(
    *, user: Actor, campaign: Campaign, section: str
) -> QuerySet[Respondent]:
    """One section of the reconciliation (``SECTIONS``) as a scoped queryset, reading only
    the columns its rows show: "outstanding" (listed, not enumerated), "arrivals" (listed,
    enumerated through amendments) or "not_listed" (enumerated, no longer listed)."""
    enumerated = Q(enumeration__status=EnumerationStatus.ENUMERATED)
    if section == "not_listed":
        rows = scope_queryset(
            Respondent.objects.filter(enumerated, respondent_list__campaign=campaign).exclude(
                listed_q(campaign)
            ),
            user=user,
            institution_path="respondent_list__institution",
        )
    else:
        listed = listed_respondents(user=user, campaign=campaign)
        rows = (
            listed.exclude(enumerated)
            if section == "outstanding"
            else listed.filter(enumerated, arrived_on__isnull=False)
        )
    # Institution by institution (then list: one per campaign), so that a section can be
    # paged list by list (``ListByListRows``).
    return (
        rows.select_related("enumeration", "respondent_list__institution")
        .only(*RECONCILIATION_COLUMNS)
        .order_by(
            "respondent_list__institution__name_kk",
            "respondent_list_id",
            "surname",
            "given_name",
            "pk",
        )
    )


def reconciliation_sections(*, user: Actor, campaign: Campaign) -> dict[str, QuerySet[Respondent]]:
    """The edge cases between the lists and the enumeration, each as a scoped queryset."""
    return {
        key: reconciliation_section(user=user, campaign=campaign, section=key) for key in SECTIONS
    }


def _by_list_of(campaign: Campaign) -> WithinInstitutions:
    """Per list of ``campaign`` with anyone in a section: its id and the sections' people."""
    enumerated = sum(
        (F(column) for column in COUNTER_COLUMNS if column.startswith("method_")), Value(0)
    )
    return WithinInstitutions(
        lambda within: (
            ListProgress.objects.filter(campaign=campaign, institution_id__in=within)
            .annotate(outstanding=F("listed") - enumerated)
            .filter(Q(outstanding__gt=0) | Q(arrivals__gt=0) | Q(not_listed__gt=0))
            .order_by("institution__name_kk", "respondent_list_id")
            .values_list("respondent_list_id", "outstanding", "arrivals", "not_listed")
        )
    )


def reconciliation_by_list(*, user: Actor, campaign: Campaign) -> dict[str, list[tuple[int, int]]]:
    """Per section, (list id, people in it) of every visible list that has any, in the
    order of the sections' rows (institution name, then list), from the counters: one
    query over the lists, whatever the number of people (compiled once per campaign:
    ``WithinInstitutions``; the user's scope every time).

    "Outstanding" is listed less enumerated; "arrivals" and "not_listed" are counters of
    their own (``progress_services.reconciliation_filters``)."""
    institutions = scope_queryset(Institution.objects.order_by(), user=user, institution_path="")
    try:
        rows = per_campaign("reconciliation_by_list", campaign, _by_list_of).rows(
            institutions.values("pk")
        )
    except EmptyResultSet:  # a selection of nothing (``none()``)
        rows = []
    sections: dict[str, list[tuple[int, int]]] = {key: [] for key in SECTIONS}
    for list_id, *counts in rows:
        for key, n in zip(SECTIONS, counts, strict=True):
            if n > 0:
                sections[key].append((list_id, n))
    return sections


SECTIONS = ("outstanding", "arrivals", "not_listed")


def outstanding_by_list(*, user: Actor, campaign: Campaign) -> list[tuple[int, int]]:
    """(list id, people listed but not enumerated) of every visible list that has any, in
    the order of the "outstanding" section, from the counters (one query over the lists)."""
    return reconciliation_by_list(user=user, campaign=campaign)["outstanding"]


def reconciliation_counts(*, by_list: dict[str, list[tuple[int, int]]]) -> dict[str, int]:
    """How many people each section holds, summed from the counters
    (``reconciliation_by_list``): never counted row by row, whatever their number."""
    return {key: sum(n for _list_id, n in per_list) for key, per_list in by_list.items()}


class ListByListRows:
    """A section's rows for a paginator, paged list by list with the counts the counters
    give (``reconciliation_by_list``): a page reads only the one or two lists it shows
    instead of sorting the whole region's people to find its fifty. ``rows`` must be
    ordered by institution name, then list, as ``per_list`` is; a stale counter only
    shifts a page boundary."""

    def __init__(self, rows: QuerySet[Respondent], per_list: list[tuple[int, int]]) -> None:
        self.rows, self.per_list = rows, per_list

    def count(self) -> int:
        return sum(n for _list_id, n in self.per_list)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Respondent]:
        start, stop = window.start or 0, window.stop
        list_ids: list[int] = []
        offset = seen = 0
        for list_id, n in self.per_list:
            if seen + n > start and (stop is None or seen < stop):
                if not list_ids:
                    offset = start - seen
                list_ids.append(list_id)
            seen += n
        if not list_ids:
            return []
        rows = self.rows.filter(respondent_list_id__in=list_ids)
        return list(rows[offset:] if stop is None else rows[offset : offset + stop - start])


@dataclass
class Chart:
    """A server-rendered SVG bar chart: bars per day stacked by method, running total line."""

    width: int
    height: int
    bars: list[dict[str, Any]]
    line: str
    ticks: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    peak: int
    total: int


CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 720, 240, 40, 28, 12


def daily_chart(days: list[Day]) -> Chart | None:
    if not days:
        return None
    first, last = days[0].day, days[-1].day
    span = (last - first).days + 1
    slot = (CHART_W - PAD_L) / span
    plot_h = CHART_H - PAD_B - PAD_T
    peak = max(day.total for day in days) or 1
    total = days[-1].cumulative or 1
    bars: list[dict[str, Any]] = []
    points: list[str] = []
    for day in days:
        x = PAD_L + (day.day - first).days * slot
        y: float = CHART_H - PAD_B
        for method, count in day.by_method.items():
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            bars.append(
                {
                    "x": round(x + slot * 0.1, 1),
                    "y": round(y, 1),
                    "w": round(max(slot * 0.8, 1), 1),
                    "h": round(h, 1),
                    "method": method,
                    "count": count,
                    "day": day.day,
                }
            )
        line_y = CHART_H - PAD_B - plot_h * day.cumulative / total
        points.append(f"{x + slot / 2:.1f},{line_y:.1f}")
    # Whole-number ticks only: with a peak of 1 a "0.5" tick would read as a second 0.
    tick_values = sorted({0, peak // 2, peak})
    ticks = [
        {"y": round(CHART_H - PAD_B - plot_h * value / peak, 1), "value": value}
        for value in tick_values
    ]
    step = max(1, span // 6)
    labels = [
        {"x": round(PAD_L + offset * slot + slot / 2, 1), "day": first + dt.timedelta(days=offset)}
        for offset in range(0, span, step)
    ]
    return Chart(CHART_W, CHART_H, bars, " ".join(points), ticks, labels, peak, days[-1].cumulative)
