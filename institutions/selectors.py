"""Reads of institutions, campaigns and staff, always narrowed to the acting user."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Protocol, overload

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import role_of
from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord.db import CompiledRows, RowsByPk
from institutions.choices import ReportKind, ReportState
from institutions.models import (
    AppointmentOrder,
    Campaign,
    District,
    Institution,
    InstitutionType,
    Provisioning,
    Region,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
)
from institutions.models.reporting import ReportedByInstitution
from institutions.readiness import (
    NO_NOTE,
    ItemResult,
    ReadinessItem,
    board_queryset,
    readiness_items,
)


def campaign_get_active() -> Campaign:
    """The active campaign; every date the code uses comes from it."""
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        raise Campaign.DoesNotExist("No active census campaign is configured.")
    return campaign


def institution_list(*, user: Actor) -> QuerySet[Institution]:
    return scope_queryset(
        Institution.objects.select_related("type", "district", "district__region"),
        user=user,
        institution_path="",
    )


def institution_get(*, user: Actor, pk: int) -> Institution:
    """One institution the user may see; 404 otherwise, so existence is not revealed."""
    try:
        return institution_list(user=user).get(pk=pk)
    except Institution.DoesNotExist as exc:
        raise Http404 from exc


def staff_list(*, user: Actor, campaign: Campaign | None = None) -> QuerySet[ResponsibleStaff]:
    """Responsible staff the user may see (appointed for ``campaign`` when given)."""
    staff = ResponsibleStaff.objects.select_related("institution", "user")
    if campaign is not None:
        staff = staff.filter(campaign=campaign)
    return scope_queryset(staff, user=user)


@dataclass(frozen=True)
class InstitutionReadiness:
    """One institution's row on the readiness board: a result per registered item."""

    institution: Institution
    results: tuple[tuple[ReadinessItem, ItemResult], ...]

    @property
    def done_count(self) -> int:
        return sum(result.done for _item, result in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def is_ready(self) -> bool:
        return self.done_count == self.total

    @property
    def missing(self) -> tuple[ReadinessItem, ...]:
        return tuple(item for item, result in self.results if not result.done)

    @property
    def next_item(self) -> ReadinessItem | None:
        missing = self.missing
        return missing[0] if missing else None

    @property
    def next_officer_step(self) -> tuple[ReadinessItem, ItemResult] | None:
        """The first open step the institution itself can take (the Department's own
        records, such as seminar attendance, are never the officer's next step)."""
        for item, result in self.results:
            if not result.done and not item.recorded_by_department:
                return item, result
        return None

    @property
    def waiting_on_department(self) -> tuple[ReadinessItem, ...]:
        return tuple(item for item in self.missing if item.recorded_by_department)


class ReadinessSort(models.TextChoices):
    NAME = "name", _("Name")
    DISTRICT = "district", _("District")
    TYPE = "type", _("Type")
    LEAST_READY = "least_ready", _("Least ready first")
    MOST_READY = "most_ready", _("Most ready first")


def _name_in_sql(prefix: str, languages: tuple[str, ...]) -> Lower:
    """A name in the active language as the models' ``name`` properties choose it (the
    first non-empty of ``name_<language>`` columns), lower-cased for sorting in SQL."""
    columns = [NullIf(f"{prefix}name_{language}", Value("")) for language in languages]
    return Lower(Coalesce(*columns, Value("")))


def _sort_order(sort: str) -> list[Any]:
    language = (get_language() or "kk")[:2]
    # Institution.name: Russian for ru, Kazakh otherwise (institution_name).
    name = _name_in_sql("", ("ru", "kk") if language == "ru" else ("kk", "ru"))
    district = _name_in_sql("district__", (language, "kk", "ru", "en"))
    orders: dict[str, list[Any]] = {
        ReadinessSort.NAME: [name],
        ReadinessSort.DISTRICT: [district, name],
        ReadinessSort.TYPE: ["type__position", name],
    }
    # "Least/most ready" (and an unknown sort): by name, which ``ReadinessBoard.flags``
    # then orders by the count of flags.
    return [*orders.get(sort, orders[ReadinessSort.NAME]), "pk"]


def _flag(item: ReadinessItem) -> str:
    return f"done_{item.code}"


@dataclass
class ReadinessBoard:
    """A selection of institutions on the readiness board.

    ``selection`` is the user's institutions as filtered (scope, district, type, search) in
    the order of the sort's columns, without any readiness: one plain query of primary keys
    (``pks``). What else a board reads depends on what it shows, each one more query of
    SQL compiled once per campaign and process (``_compiled``), run for those primary keys:

    - sorted by name, district or type, with no ``missing`` item: how many are ready, one
      boolean a row (``_board_ready``); no flag of an institution not on the page;
    - with ``missing``: that item's flag alone (``_item_flag``), which keeps those where it
      is not done (none of which is ready);
    - sorted "least/most ready": every flag of the selection (``flags``), ordered by their
      count, then by name as the selection is.

    ``total``, ``ready`` and ``order`` (the primary keys kept, in the board's order) come
    from those; a page (``in_pages``) reads its institutions with their flags in one query
    (``_board_page``), and ``rows`` their details and hints.
    """

    selection: QuerySet[Institution]
    campaign: Campaign
    missing: str | None = None
    sort: str = ReadinessSort.NAME

    @cached_property
    def pks(self) -> list[int]:
        """The selection's primary keys, in its order; none for an unknown ``missing`` code
        (the form offers known codes only)."""
        if self.missing and self.missing not in {item.code for item in readiness_items()}:
            return []
        return list(self.selection.values_list("pk", flat=True))

    @cached_property
    def flags(self) -> list[tuple[Any, ...]]:
        """(pk, each item's flag, …) of the institutions kept, in the board's order."""
        if not self.pks:
            return []
        items = readiness_items()
        read = {row[0]: row for row in _board_flags(self.campaign).rows(self.pks)}
        # (An institution deleted between the two queries is left out.)
        flags = [read[pk] for pk in self.pks if pk in read]
        if self.missing:
            position = 1 + [item.code for item in items].index(self.missing)
            flags = [row for row in flags if not row[position]]
        if self.sort == ReadinessSort.LEAST_READY:
            flags.sort(key=lambda row: sum(row[1:]))  # stable: by name within a count
        elif self.sort == ReadinessSort.MOST_READY:
            flags.sort(key=lambda row: -sum(row[1:]))
        return flags

    @property
    def _by_readiness(self) -> bool:
        return self.sort in (ReadinessSort.LEAST_READY, ReadinessSort.MOST_READY)

    @cached_property
    def order(self) -> list[int]:
        """The primary keys of the institutions kept, in the board's order."""
        if self._by_readiness:
            return [row[0] for row in self.flags]
        if self.missing and self.pks:
            flags = _item_flag(self.campaign, self.missing).rows(self.pks)
            open_ = {pk for pk, done in flags if not done}
            return [pk for pk in self.pks if pk in open_]
        return self.pks

    @property
    def total(self) -> int:
        return len(self.order)

    @cached_property
    def ready(self) -> int:
        if self._by_readiness:
            return sum(all(row[1:]) for row in self.flags)
        if self.missing:
            return 0  # each of them has that item open
        return sum(ready for (ready,) in _board_ready(self.campaign).rows(self.pks))

    @property
    def in_pages(self) -> BoardPage:
        """The selection for a paginator: its length from ``order``, a slice as the
        institutions of that slice, in order, with their flags (one query)."""
        return BoardPage(self)

    def all_rows(self) -> list[InstitutionReadiness]:
        """The rows of the whole selection (an export)."""
        return self.rows(self.in_pages[:])

    def rows(
        self,
        institutions: Iterable[Institution],
        *,
        reference: tuple[Iterable[District], Iterable[InstitutionType]] = ((), ()),
    ) -> list[InstitutionReadiness]:
        """The rows of ``institutions`` (each carrying its flags). ``reference``: districts
        (with their region) and types already read, which the rows use instead of reading
        them again (those not among them are read)."""
        return _rows(_with_reference_data(list(institutions), *reference), self.campaign)


def _rows(shown: list[Institution], campaign: Campaign) -> list[InstitutionReadiness]:
    """The rows of ``shown`` (each carrying its flags, district and type): each item's
    details and hints of them all (``describe``: a constant number of queries)."""
    if not shown:
        return []
    scoped = board_queryset([institution.pk for institution in shown])
    items = readiness_items()
    # By position, not by item: an item hashes its lazy labels, translating them.
    notes = [item.describe(scoped, campaign) for item in items]
    flags = [_flag(item) for item in items]
    columns = list(zip(items, flags, notes, strict=True))
    rows = []
    for institution in shown:
        pk = institution.pk
        results = []
        for item, flag, note in columns:
            found = note.get(pk) or NO_NOTE
            results.append((item, ItemResult(getattr(institution, flag), found.detail, found.hint)))
        rows.append(InstitutionReadiness(institution=institution, results=tuple(results)))
    return rows


class BoardPage(Sequence[Institution]):
    """``ReadinessBoard.in_pages``: a sequence of the board's institutions."""

    def __init__(self, board: ReadinessBoard) -> None:
        self.board = board

    def __len__(self) -> int:
        return self.board.total

    @overload
    def __getitem__(self, index: int) -> Institution: ...

    @overload
    def __getitem__(self, index: slice) -> list[Institution]: ...

    def __getitem__(self, index: int | slice) -> Institution | list[Institution]:
        if isinstance(index, slice):
            return _institutions_with_flags(self.board.campaign, self.board.order[index])
        return _institutions_with_flags(self.board.campaign, [self.board.order[index]])[0]


_ATTNAMES = tuple(field.attname for field in Institution._meta.concrete_fields)


def _institutions_with_flags(campaign: Campaign, pks: list[int]) -> list[Institution]:
    """The institutions ``pks``, in that order, each carrying its flags (one query; an
    institution deleted meanwhile is left out)."""
    db = Institution.objects.db
    n = len(_ATTNAMES)
    position = _ATTNAMES.index(Institution._meta.pk.attname)
    by_pk = {row[position]: row for row in _board_page(campaign).rows(pks)}
    return [
        _with_flags(Institution.from_db(db, _ATTNAMES, by_pk[pk][:n]), (pk, *by_pk[pk][n:]))
        for pk in pks
        if pk in by_pk
    ]


def _with_flags(institution: Institution, flags: tuple[Any, ...]) -> Institution:
    """``institution`` carrying its flags, (pk, flag, …) as ``ReadinessBoard.flags``."""
    for item, value in zip(readiness_items(), flags[1:], strict=True):
        setattr(institution, _flag(item), value)
    return institution


Items = tuple[ReadinessItem, ...]

# (name, the items' id, every field of the campaign) → (the items, the query by primary
# key); holding the items keeps their id from being reused by another tuple meanwhile.
_COMPILED: dict[tuple[Any, ...], tuple[Items, RowsByPk]] = {}


def _compiled(
    name: str,
    campaign: Campaign,
    build: Callable[[Items, Campaign], QuerySet[Any]],
    *,
    few: int,
) -> RowsByPk:
    """``build(readiness_items(), campaign)`` as a ``RowsByPk``, built once per process,
    campaign and set of items.

    The items' nested subqueries are the same for every request of a campaign: building,
    resolving and compiling them cost several ms of CPU a query, so every board only runs
    their SQL for its own primary keys, which its scoped and filtered ``selection`` gave
    (its every field in the key: a changed date builds anew)."""
    items = readiness_items()
    key = (
        name,
        id(items),
        *(getattr(campaign, field.attname) for field in Campaign._meta.concrete_fields),
    )
    cached = _COMPILED.get(key)
    if cached is None or cached[0] is not items:
        if len(_COMPILED) >= 64:  # campaigns whose dates changed leave stale keys behind
            _COMPILED.clear()
        cached = _COMPILED[key] = (items, RowsByPk(build(items, campaign), few=few))
    return cached[1]


# A region's few hundred institutions: a look-up per institution and item; the country's
# 5,000 (past ~900 on the bench database): each item's table hashed once.
FEW_FLAGS = 900


def _flags_of(items: Items, campaign: Campaign) -> dict[str, ExpressionWrapper]:
    return {_flag(item): item.done_flag(campaign) for item in items}


def _board_flags(campaign: Campaign) -> RowsByPk:
    """(pk, each item's ``done`` flag of ``campaign``, …) of any institutions, by pk."""

    def build(items: Items, campaign: Campaign) -> QuerySet[Any]:
        return Institution.objects.annotate(**_flags_of(items, campaign)).values_list(
            "pk", *(_flag(item) for item in items)
        )

    return _compiled("flags", campaign, build, few=FEW_FLAGS)


def _board_page(campaign: Campaign) -> RowsByPk:
    """Every column of an institution (``_ATTNAMES``), then each item's flag, by pk."""

    def build(items: Items, campaign: Campaign) -> QuerySet[Any]:
        return Institution.objects.annotate(**_flags_of(items, campaign)).values_list(
            *_ATTNAMES, *(_flag(item) for item in items)
        )

    return _compiled("page", campaign, build, few=FEW_FLAGS)


def _item_flag(campaign: Campaign, code: str) -> RowsByPk:
    """(pk, the ``done`` flag of the item ``code``) of any institutions, by pk."""

    def build(items: Items, campaign: Campaign) -> QuerySet[Any]:
        (item,) = (item for item in items if item.code == code)
        return Institution.objects.annotate(done=item.done_flag(campaign)).values_list("pk", "done")

    return _compiled(f"flag:{code}", campaign, build, few=FEW_FLAGS)


def _board_ready(campaign: Campaign) -> RowsByPk:
    """(whether every item is done,) of any institutions, by pk.

    One condition, the items' rules joined by ``AND``, which PostgreSQL evaluates in the
    order written and stops at the first that is not done: last item first, since a
    census does its checklist in order, so the later items are the ones still open for
    most institutions (all of them are evaluated for a ready one, as the flags would be)."""

    def build(items: Items, campaign: Campaign) -> QuerySet[Any]:
        every = Q()
        for item in reversed(items):
            every &= item.done(campaign)
        ready = ExpressionWrapper(every, output_field=BooleanField()) if items else Value(True)
        return Institution.objects.annotate(ready=ready).values_list("ready")

    return _compiled("ready", campaign, build, few=FEW_FLAGS)


def board_districts(region_id: int | None) -> QuerySet[District]:
    """The districts the board's filter offers: those of the user's region (a region's
    Department: 19 options, not 211), or every one."""
    districts = District.objects.all()
    return districts if region_id is None else districts.filter(region_id=region_id)


_DISTRICT_COLUMNS = tuple(field.attname for field in District._meta.concrete_fields)
_REGION_COLUMNS = tuple(field.attname for field in Region._meta.concrete_fields)
_TYPE_COLUMNS = tuple(field.attname for field in InstitutionType._meta.concrete_fields)

# The region's id (None: the country) → its districts' read; "types" → the types'.
_REFERENCE_READS: dict[Any, CompiledRows] = {}


def _reference_read(key: Any, build: Callable[[], QuerySet[Any]]) -> CompiledRows:
    read = _REFERENCE_READS.get(key)
    if read is None:
        if len(_REFERENCE_READS) >= 64:
            _REFERENCE_READS.clear()
        read = _REFERENCE_READS[key] = CompiledRows(build())
    return read


def board_reference_data(
    region_id: int | None,
) -> tuple[list[District], list[InstitutionType]]:
    """``board_districts(region_id)`` with their region, and every institution type, in
    their models' order: what the board's filter offers and its rows show.

    Read afresh each request (an edit in the admin shows on the next page); only their SQL
    is compiled once per process and region (``CompiledRows``): compiling the two queries
    cost more than running them."""
    n = len(_DISTRICT_COLUMNS)
    district_rows = _reference_read(
        region_id,
        lambda: board_districts(region_id).values_list(
            *_DISTRICT_COLUMNS, *(f"region__{column}" for column in _REGION_COLUMNS)
        ),
    ).rows()
    type_rows = _reference_read(
        "types", lambda: InstitutionType.objects.values_list(*_TYPE_COLUMNS)
    ).rows()
    db = District.objects.db
    region_field = District._meta.get_field("region")
    regions: dict[Any, Region] = {}
    districts = []
    for row in district_rows:
        district = District.from_db(db, _DISTRICT_COLUMNS, row[:n])
        region = regions.get(district.region_id)
        if region is None:
            region = regions[district.region_id] = Region.from_db(db, _REGION_COLUMNS, row[n:])
        region_field.set_cached_value(district, region)
        districts.append(district)
    types = [InstitutionType.from_db(db, _TYPE_COLUMNS, row) for row in type_rows]
    return districts, types


def institution_readiness_board(
    *,
    user: Actor,
    campaign: Campaign,
    institutions: QuerySet[Institution] | None = None,
    missing: str | None = None,
    sort: str = ReadinessSort.NAME,
) -> ReadinessBoard:
    """Readiness of every institution the user may see, computed from the data.

    ``institutions`` narrows further (e.g. a FilterSet's result, an unsliced queryset of
    institutions) and is scoped again here.
    ``missing`` keeps institutions where that item is not done. The selection and its order
    are SQL; the flags of the whole selection are one query over the items' ``done`` rules
    (``Exists`` per item and institution), and a page's details take a constant number of
    queries: nothing grows with the people on the lists.
    """
    selection = institution_list(user=user).select_related(None)
    if institutions is not None:
        # Both conditions in one WHERE (``&``), not ``pk IN (subquery)``: PostgreSQL misjudges
        # the semi-join of a region's institutions and joins them to its districts row by row.
        selection = selection & institutions.select_related(None)
    return ReadinessBoard(
        selection=selection.order_by(*_sort_order(sort)),
        campaign=campaign,
        missing=missing,
        sort=sort,
    )


def institution_readiness_list(
    *,
    user: Actor,
    campaign: Campaign,
    institutions: QuerySet[Institution] | None = None,
    missing: str | None = None,
    sort: str = ReadinessSort.NAME,
) -> list[InstitutionReadiness]:
    """Every row of ``institution_readiness_board`` (an export)."""
    board = institution_readiness_board(
        user=user, campaign=campaign, institutions=institutions, missing=missing, sort=sort
    )
    return board.all_rows()


def _with_reference_data(
    institutions: list[Institution],
    known_districts: Iterable[District] = (),
    known_types: Iterable[InstitutionType] = (),
) -> list[Institution]:
    """Give every institution its district (with region) and type, each built once and
    shared: a region's board holds hundreds of institutions but a few dozen districts, and
    joining them would build four model instances per row. Those among ``known_districts``
    (read with their region) and ``known_types`` are not read again."""
    district_field = Institution._meta.get_field("district")
    type_field = Institution._meta.get_field("type")
    # Those read with their district and type already (one institution's checklist) keep them.
    bare = [
        institution
        for institution in institutions
        if not (district_field.is_cached(institution) and type_field.is_cached(institution))
    ]
    if not bare:
        return institutions
    districts = {district.pk: district for district in known_districts}
    types = {kind.pk: kind for kind in known_types}
    if unknown := {institution.district_id for institution in bare} - districts.keys():
        districts.update(District.objects.select_related("region").in_bulk(unknown))
    if unknown := {institution.type_id for institution in bare} - types.keys():
        types.update(InstitutionType.objects.in_bulk(unknown))
    for institution in bare:
        district_field.set_cached_value(institution, districts[institution.district_id])
        type_field.set_cached_value(institution, types[institution.type_id])
    return institutions


def institution_readiness_get(*, user: Actor, campaign: Campaign, pk: int) -> InstitutionReadiness:
    """One institution's checklist (404 outside the user's scope): the institution with its
    district, region and type in one query, then its flags and details."""
    # Not a board's selection: one row needs no sort.
    shown = list(institution_list(user=user).filter(pk=pk).order_by())
    if not shown:
        raise Http404
    (institution,) = shown
    (flags,) = _board_flags(campaign).rows([institution.pk])
    return _rows([_with_flags(institution, flags)], campaign)[0]


def seminar_attendance_list(*, user: Actor) -> QuerySet[SeminarAttendance]:
    return scope_queryset(
        SeminarAttendance.objects.select_related("seminar", "staff", "staff__institution"),
        user=user,
        institution_path="staff__institution",
    )


def provisioning_list(*, user: Actor) -> QuerySet[Provisioning]:
    return scope_queryset(
        Provisioning.objects.select_related("staff", "staff__institution"),
        user=user,
        institution_path="staff__institution",
    )


def appointment_order_list(
    *, user: Actor, campaign: Campaign | None = None
) -> QuerySet[AppointmentOrder]:
    orders = AppointmentOrder.objects.select_related("institution")
    if campaign is not None:
        orders = orders.filter(campaign=campaign)
    return scope_queryset(orders, user=user)


def seminar_list(*, user: Actor, campaign: Campaign) -> QuerySet[Seminar]:
    """The campaign's seminars: the Department holds them for the whole region, so every
    role sees them (who attends is scoped: ``seminar_attendance_list``)."""
    if role_of(user) is None:
        return Seminar.objects.none()
    return Seminar.objects.filter(campaign=campaign).order_by("date", "pk")


def seminar_get(*, user: Actor, campaign: Campaign, pk: int) -> Seminar:
    try:
        return seminar_list(user=user, campaign=campaign).get(pk=pk)
    except Seminar.DoesNotExist as exc:
        raise Http404 from exc


# The lookup from each kind of reported item to its campaign.
CAMPAIGN_PATHS: dict[str, str] = {
    ReportKind.ORDER: "campaign",
    ReportKind.STAFF: "campaign",
    ReportKind.PROVISIONING: "campaign",
    ReportKind.ATTENDANCE: "seminar__campaign",
}

# What an institution reports, by kind: the model and the lookup to its institution.
REPORTED_MODELS: dict[str, tuple[type[ReportedByInstitution], str]] = {
    ReportKind.ORDER: (AppointmentOrder, "institution"),
    ReportKind.STAFF: (ResponsibleStaff, "institution"),
    ReportKind.PROVISIONING: (Provisioning, "staff__institution"),
    ReportKind.ATTENDANCE: (SeminarAttendance, "staff__institution"),
}
_REPORTED_RELATED: dict[str, tuple[str, ...]] = {
    ReportKind.ORDER: ("institution__district",),
    ReportKind.STAFF: ("institution__district", "order"),
    ReportKind.PROVISIONING: ("staff__institution__district",),
    ReportKind.ATTENDANCE: ("staff__institution__district", "seminar"),
}


@dataclass(frozen=True)
class ReportedItem:
    """One item an institution reported, as the review queue and the officer list it."""

    kind: ReportKind
    item: Any

    @property
    def institution(self) -> Institution:
        if self.kind in (ReportKind.ORDER, ReportKind.STAFF):
            return self.item.institution
        return self.item.staff.institution


def reported_queryset(*, user: Actor, kind: str) -> QuerySet[Any]:
    """Items of ``kind`` an institution reported (reported at least once), in the user's
    scope; the Department's own records are not in the queue."""
    model, path = REPORTED_MODELS[kind]
    queryset = model.objects.filter(reported_at__isnull=False).select_related(  # type: ignore[attr-defined]  # abstract: each concrete model has objects
        "reported_by", "reviewed_by", *_REPORTED_RELATED[kind]
    )
    return scope_queryset(queryset, user=user, institution_path=path)


def reported_item_get(*, user: Actor, kind: str, pk: int) -> Any:
    if kind not in REPORTED_MODELS:
        raise Http404
    try:
        return reported_queryset(user=user, kind=kind).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


class ReportedNarrowing(Protocol):
    """What narrows each kind's items: ``institutions.filters.ReportedItemFilterSet``."""

    def narrow(self, queryset: QuerySet[Any], *, kind: str) -> QuerySet[Any]: ...


@dataclass(frozen=True)
class ReportCounts:
    """What the institutions in a user's scope reported that the Department has not
    confirmed: items waiting for its review, and the kinds with any returned."""

    waiting: int
    returned_kinds: tuple[str, ...]


def reported_item_counts(*, user: Actor) -> ReportCounts:
    """How many items of the queue of ``reported_item_list`` (in the user's scope) wait for
    the Department's review, and which kinds have any returned for correction: no rows
    built (the officer's home page says how many wait and lists only what was returned).

    The user's institutions (``institution_list``, scoped), then their counts in one query
    compiled once per process (``RowsByPk``): building the four kinds' grouped and scoped
    querysets took more CPU than any other read of the officer's home page."""
    institutions = institution_list(user=user).select_related(None).order_by()
    pks = list(institutions.values_list("pk", flat=True))
    waiting, returned = 0, set()
    for row in _report_counts().rows(pks):
        for position, code in enumerate(REPORTED_MODELS):
            waiting += row[1 + 2 * position]
            if row[2 + 2 * position]:
                returned.add(code)
    kinds = tuple(code for code in REPORTED_MODELS if code in returned)
    return ReportCounts(waiting=waiting, returned_kinds=kinds)


@cache
def _report_counts() -> RowsByPk:
    """(pk, then per kind of ``REPORTED_MODELS``: how many of its items wait for review,
    whether any is returned) of any institutions, by pk."""
    columns: dict[str, Any] = {}
    for code, (model, path) in REPORTED_MODELS.items():
        reported = model.objects.filter(  # type: ignore[attr-defined]  # abstract: each concrete model has objects
            reported_at__isnull=False, **{path: OuterRef("pk")}
        ).order_by()
        waiting = (
            reported.filter(report_state=ReportState.REPORTED)
            .values(path)
            .annotate(n=Count("pk"))
            .values("n")
        )
        columns[f"{code}_waiting"] = Coalesce(Subquery(waiting), 0)
        columns[f"{code}_returned"] = Exists(reported.filter(report_state=ReportState.RETURNED))
    counts = Institution.objects.annotate(**columns).values_list("pk", *columns)
    return RowsByPk(counts, few=FEW_FLAGS)


def reported_item_list(
    *,
    user: Actor,
    filters: ReportedNarrowing | None = None,
    campaign: Campaign | None = None,
    kinds: Iterable[str] | None = None,
) -> list[ReportedItem]:
    """The queue "reported by institutions", newest report first, narrowed by ``filters``
    (and to the items of ``campaign``, or of ``kinds``, when given)."""
    rows: list[ReportedItem] = []
    for code in REPORTED_MODELS if kinds is None else [k for k in REPORTED_MODELS if k in kinds]:
        queryset = reported_queryset(user=user, kind=code)
        if filters is not None:
            queryset = filters.narrow(queryset, kind=code)
        if campaign is not None:
            queryset = queryset.filter(**{CAMPAIGN_PATHS[code]: campaign})
        rows.extend(ReportedItem(kind=ReportKind(code), item=item) for item in queryset)
    rows.sort(key=lambda row: row.item.reported_at, reverse=True)
    return rows
