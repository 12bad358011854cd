"""Reads of the census-database import; every read of institution data is scoped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord import clock
from census_coord.policy import allowed
from censusdb.models import (
    CensusExport,
    CensusRecord,
    CensusReview,
    ReconciliationCount,
    RecordState,
    ReviewState,
)
from censusdb.reconciliation import matched_records, unlisted_records
from enumeration.models import ListProgress
from enumeration.selectors import listed_q
from institutions.models import Campaign, District, Institution, InstitutionType
from institutions.models.institution import institution_name
from respondents.models import Respondent


def census_export_list(*, user: Actor) -> QuerySet[CensusExport]:
    """The Department's imports (an export spans the region: no officer sees them)."""
    if not allowed(user, "censusdb.import"):
        return CensusExport.objects.none()
    return CensusExport.objects.select_related("created_by")


def census_export_get(*, user: Actor, pk: int) -> CensusExport:
    try:
        return census_export_list(user=user).get(pk=pk)
    except CensusExport.DoesNotExist as exc:
        raise Http404 from exc


def census_record_list(*, user: Actor, campaign: Campaign) -> QuerySet[CensusRecord]:
    """The forms of the institutions ``user`` sees (by the BIN the form names)."""
    return scope_queryset(
        CensusRecord.objects.filter(campaign=campaign).select_related("institution", "respondent"),
        user=user,
        institution_path="institution",
    ).order_by("institution__bin", "surname", "given_name", "pk")


STATE_COUNTS = {
    state: Count("census_records", filter=Q(census_records__state=state))
    for state in RecordState.values
}


def census_counts_by_institution(*, user: Actor, campaign: Campaign) -> QuerySet[Institution]:
    """Per institution ``user`` sees: its forms in the census database by state (counts
    only, for the commission too); one grouped query."""
    institutions = scope_queryset(
        Institution.objects.filter(census_records__campaign=campaign),
        user=user,
        institution_path="",
    )
    annotations: dict[str, Any] = {f"n_{state}": count for state, count in STATE_COUNTS.items()}
    return (
        institutions.annotate(total=Count("census_records"), **annotations)
        .select_related("district")
        .order_by("district__code", "bin")
    )


REVIEW_STATES = {
    "open": (ReviewState.OPEN,),
    "decided": (ReviewState.ACCEPTED, ReviewState.REJECTED),
}


def census_review_list(
    *, user: Actor, campaign: Campaign | None = None, state: str | None = "open"
) -> QuerySet[CensusReview]:
    """The Department's reviews (records of its region, and those naming no BIN): the
    ``open`` queue, the ``decided`` ones, or every one (``None``); of ``campaign``'s forms
    when one is given (the queue page: the selected campaign)."""
    if not allowed(user, "censusdb.review"):
        return CensusReview.objects.none()
    reviews = CensusReview.objects.select_related(
        "record", "record__institution", "chosen", "resolved_by"
    )
    if state is not None:
        reviews = reviews.filter(state__in=REVIEW_STATES[state])
    if campaign is not None:
        reviews = reviews.filter(record__campaign=campaign)
    if user.region_id:
        reviews = reviews.filter(
            Q(record__institution__district__region=user.region_id)
            | Q(record__institution__isnull=True)
        )
    if state == "decided":  # the latest decisions first
        return reviews.order_by("-resolved_at", "-pk")
    return reviews.order_by("created_at", "pk")


def census_review_get(*, user: Actor, pk: int) -> CensusReview:
    """One review of the Department's region, open or decided (a decided one reads only):
    a link in the audit trail or a bookmark keeps working after the decision."""
    try:
        return census_review_list(user=user, state=None).get(pk=pk)
    except CensusReview.DoesNotExist as exc:
        raise Http404 from exc


# --- the four-way reconciliation (issue 19 item 5) ---------------------------------------

SECTIONS = ("in_db", "not_in_db", "unlisted", "elsewhere")


@dataclass
class Reconciled:
    """One row's four sections: counts from the counters (``ListProgress.listed`` and
    ``ReconciliationCount``), never from the respondent rows."""

    listed: int = 0
    in_db: int = 0
    elsewhere: int = 0
    unlisted: int = 0

    @property
    def not_in_db(self) -> int:
        return max(self.listed - self.in_db - self.elsewhere, 0)

    def add(self, other: Reconciled) -> None:
        self.listed += other.listed
        self.in_db += other.in_db
        self.elsewhere += other.elsewhere
        self.unlisted += other.unlisted

    def of(self, section: str) -> int:
        return int(getattr(self, section))


@dataclass
class ReconciliationRow:
    pk: int
    name: str
    counts: Reconciled
    code: str = ""  # the drill-down key: region or district code, institution BIN
    district: str = ""


@dataclass
class ReconciliationReport:
    total: Reconciled
    rows: list[ReconciliationRow]
    by_type: list[ReconciliationRow]
    by_district: list[ReconciliationRow]
    level: str  # "region", "district" or "institution"
    still_time: bool  # a method's window is still open (online_end / tablet_end vs today)


def _counter(model: Any, column: str, campaign: Campaign, aggregate: bool) -> Any:
    rows = model.objects.filter(campaign=campaign, institution=OuterRef("pk")).order_by()
    if aggregate:
        rows = rows.values("institution").annotate(n=Sum(column)).values("n")
    else:
        rows = rows.values(column)
    return Coalesce(Subquery(rows[:1]), 0)


def reconciliation_institutions(*, user: Actor, campaign: Campaign) -> QuerySet[Institution]:
    """The institutions ``user`` sees, each with its four sections' counters annotated
    (``listed``, ``in_db``, ``elsewhere``, ``unlisted``): what the FilterSet narrows."""
    return scope_queryset(Institution.objects.all(), user=user, institution_path="").annotate(
        listed=_counter(ListProgress, "listed", campaign, aggregate=True),
        in_db=_counter(ReconciliationCount, "in_db", campaign, aggregate=False),
        elsewhere=_counter(ReconciliationCount, "elsewhere", campaign, aggregate=False),
        unlisted=_counter(ReconciliationCount, "unlisted", campaign, aggregate=False),
    )


LEVELS = ("region", "district", "institution")


def reconciliation_level(*, user: Actor, values: dict[str, Any]) -> str:
    """The drill-down level for the filter ``values``: an institution's own user (officer,
    institution client) and a district or institution chosen → institutions; a region
    chosen → its districts; else the regions."""
    if user.institution_id or values.get("district") or values.get("institution"):
        return "institution"
    return "district" if values.get("region") else "region"


FIELDS = ("pk", "bin", "name_kk", "name_ru", "is_active", "district_id", "type_id")
COUNTS = ("listed", "in_db", "elsewhere", "unlisted")


def reconciliation_report(
    institutions: QuerySet[Institution], *, campaign: Campaign, level: str
) -> ReconciliationReport:
    """The filtered institutions grouped for the drill-down ``level``: three queries (the
    institutions with their counters, their districts with regions, their types)."""
    values = list(institutions.order_by("district__code", "name_kk").values_list(*FIELDS, *COUNTS))
    districts = District.objects.select_related("region").in_bulk({v[5] for v in values})
    types = InstitutionType.objects.in_bulk({v[6] for v in values})
    language = get_language() or "kk"
    total = Reconciled()
    rows: list[ReconciliationRow] = []
    groups: dict[int, ReconciliationRow] = {}
    by_district: dict[int, ReconciliationRow] = {}
    by_type: dict[int, ReconciliationRow] = {}
    for pk, bin_, name_kk, name_ru, is_active, district_id, type_id, *numbers in values:
        counts = Reconciled(*numbers)
        if not is_active and not any(numbers):
            continue
        district = districts[district_id]
        total.add(counts)
        for key, obj, bucket in (
            (district.pk, district, by_district),
            (type_id, types[type_id], by_type),
        ):
            bucket.setdefault(key, ReconciliationRow(key, obj.name, Reconciled(), obj.code))
            bucket[key].counts.add(counts)
        if level == "institution":
            rows.append(
                ReconciliationRow(
                    pk,
                    institution_name(name_kk, name_ru, language),
                    counts,
                    bin_,
                    district.name,
                )
            )
        elif level == "region":
            region = district.region
            groups.setdefault(
                region.pk, ReconciliationRow(region.pk, region.name, Reconciled(), region.code)
            )
            groups[region.pk].counts.add(counts)
    if level == "district":
        rows = list(by_district.values())
    elif level == "region":
        rows = list(groups.values())
    today = clock.today()
    return ReconciliationReport(
        total=total,
        rows=rows,
        by_type=sorted(by_type.values(), key=lambda r: r.code),
        by_district=list(by_district.values()),
        level=level,
        still_time=today <= max(campaign.online_end, campaign.tablet_end),
    )


def reconciliation_people(
    *, user: Actor, campaign: Campaign, section: str, institutions: QuerySet[Institution]
) -> QuerySet[Any]:
    """The people (census forms, for "on no list") behind one section of the filtered
    institutions, scoped; ordered by institution, then name. Rows of ``in_db``,
    ``not_in_db`` and ``elsewhere`` are Respondents annotated with the census form's number
    and BIN; those of ``unlisted`` are CensusRecords."""
    ids = institutions.order_by().values("pk")
    if section == "unlisted":
        return scope_queryset(
            CensusRecord.objects.filter(
                unlisted_records(campaign), institution__in=ids
            ).select_related("institution__district"),
            user=user,
            institution_path="institution",
        ).order_by("institution__name_kk", "surname", "given_name", "pk")
    matched = CensusRecord.objects.filter(
        matched_records(campaign), respondent=OuterRef("pk")
    ).order_by("pk")
    here = matched.filter(institution_id=OuterRef("respondent_list__institution_id"))
    people = scope_queryset(
        Respondent.objects.filter(
            listed_q(campaign), respondent_list__institution__in=ids
        ).select_related("respondent_list__institution__district"),
        user=user,
        institution_path="respondent_list__institution",
    )
    if section == "in_db":
        people = people.filter(Exists(here)).annotate(
            census_form=Subquery(here.values("form_number")[:1]),
            census_bin=Subquery(here.values("bin")[:1]),
        )
    elif section == "elsewhere":
        people = people.filter(Exists(matched) & ~Exists(here)).annotate(
            census_form=Subquery(matched.values("form_number")[:1]),
            census_bin=Subquery(matched.values("bin")[:1]),
        )
    else:
        people = people.filter(~Exists(matched)).annotate(
            census_form=Value(""), census_bin=Value("")
        )
    return people.order_by("respondent_list__institution__name_kk", "surname", "given_name", "pk")
