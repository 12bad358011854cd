"""``/api/v1/census-reconciliation/``: the four-way reconciliation with the census
database, read-only, as the page shows it (``censusdb.reconciliation_views``).

The same selectors give the same numbers: ``reconciliation_institutions`` (the counters
annotated on the institutions the caller sees), narrowed by the page's FilterSet
(``ReconciliationFilterSet``: region, district, type, institution, section), grouped by
``reconciliation_report``; the people behind a section are ``reconciliation_people``, a
page at a time, counted by the counters. Who sees what is the page's too: the counts for
the rule ``censusdb.reconciliation`` (the Department its region, the commission, an
officer or an institution's client its own institution), the people for
``censusdb.reconciliation_people`` (not the commission). A filter value that names nothing
answers 400 naming the parameter, as every list of the API.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from audit.entry import record_read
from audit.mixins import AuditedViewSetMixin
from census_coord.pagination import CountedApiPagination
from censusdb import selectors
from censusdb.filters import (
    SECTION_CHOICES,
    ReconciliationFilterSet,
    ReconciliationPeopleFilterSet,
)
from institutions.campaigns import selected_campaign
from institutions.models import Campaign, Institution

GROUP_CHOICES = [
    ("region", _("Region")),
    ("district", _("District or city")),
    ("institution", _("Institution")),
    ("type", _("Institution type")),
]

# --- serializers -------------------------------------------------------------------


class ReconciliationQuerySerializer(serializers.Serializer):
    group = serializers.ChoiceField(
        choices=GROUP_CHOICES,
        required=False,
        help_text=(
            "What a row is. Without it, as the page drills down: institutions for an "
            "institution's own caller or with a district or institution chosen, districts "
            "with a region chosen, else regions."
        ),
    )


class ReconciledSerializer(serializers.Serializer):
    """The four sections' counts (from the counters, never from the rows)."""

    listed = serializers.IntegerField(help_text="Listed (accepted lists, not departed).")
    in_db = serializers.IntegerField(
        help_text="Listed and in the census database (a form naming their institution's BIN)."
    )
    not_in_db = serializers.IntegerField(
        help_text="Listed, not in the census database (listed - in_db - elsewhere)."
    )
    unlisted = serializers.IntegerField(
        help_text="Forms naming the institution's BIN that match nobody on a list."
    )
    elsewhere = serializers.IntegerField(
        help_text="Listed here, enumerated on a form naming another BIN or none."
    )


class ReconciliationRowSerializer(ReconciledSerializer):
    code = serializers.CharField(
        help_text="The row's key: a region or district code, an institution type code or BIN."
    )
    name = serializers.CharField()
    district = serializers.CharField(help_text='An institution\'s district; "" for other rows.')


@extend_schema_serializer(many=False)
class ReconciliationReportSerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The campaign's code.")
    group = serializers.ChoiceField(choices=GROUP_CHOICES)
    still_time = serializers.BooleanField(
        help_text=(
            "Today is on or before the later of the online and tablet windows' ends: those "
            "not in the census database may still be enumerated."
        )
    )
    total = ReconciledSerializer(help_text="Every row of every page together.")
    count = serializers.IntegerField(help_text="Rows on all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReconciliationRowSerializer(many=True)


class ReconciliationPersonSerializer(serializers.Serializer):
    """A listed person (or, for ``unlisted``, a census form) behind a section."""

    respondent_id = serializers.IntegerField(
        allow_null=True, help_text="The listed person's id; null for a form on no list."
    )
    surname = serializers.CharField()
    given_name = serializers.CharField()
    patronymic = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    iin = serializers.CharField(help_text='"" without an IIN.')
    institution_bin = serializers.CharField()
    institution = serializers.CharField(help_text="The institution's name.")
    district = serializers.CharField()
    form_number = serializers.CharField(
        help_text='The matched census form\'s number; "" for people not in the census database.'
    )
    form_bin = serializers.CharField(help_text='The BIN the census form names; "" for none.')


@extend_schema_serializer(many=False)
class ReconciliationPeopleSerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The campaign's code.")
    section = serializers.ChoiceField(choices=SECTION_CHOICES)
    count = serializers.IntegerField(help_text="People in the section (from the counters).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReconciliationPersonSerializer(many=True)


def _person(row: Any, section: str) -> dict[str, Any]:
    if section == "unlisted":  # a census form naming the institution, on no list
        institution, respondent_id = row.institution, None
        form_number, form_bin = row.form_number, row.bin
    else:
        institution, respondent_id = row.respondent_list.institution, row.pk
        form_number, form_bin = row.census_form or "", row.census_bin or ""
    return {
        "respondent_id": respondent_id,
        "surname": row.surname,
        "given_name": row.given_name,
        "patronymic": row.patronymic,
        "birth_date": row.birth_date,
        "iin": row.iin,
        "institution_bin": institution.bin,
        "institution": institution.name,
        "district": institution.district.name,
        "form_number": form_number,
        "form_bin": form_bin,
    }


def _row(row: selectors.ReconciliationRow) -> dict[str, Any]:
    counts = row.counts
    return {
        "code": row.code,
        "name": row.name,
        "district": row.district,
        "listed": counts.listed,
        "in_db": counts.in_db,
        "not_in_db": counts.not_in_db,
        "unlisted": counts.unlisted,
        "elsewhere": counts.elsewhere,
    }


def _links(paginator: PageNumberPagination) -> dict[str, Any]:
    """How many items on all pages, and the links to the next and previous pages."""
    return {
        "count": paginator.page.paginator.count if paginator.page is not None else 0,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
    }


def _total(counts: selectors.Reconciled) -> dict[str, int]:
    return {section: counts.of(section) for section in ("listed", *selectors.SECTIONS)}


# --- the view ------------------------------------------------------------------------


@extend_schema(tags=["census-db"])
class ReconciliationViewSet(AuditedViewSetMixin, viewsets.GenericViewSet):
    """The four-way reconciliation of the selected campaign (the active one for callers who
    choose none): counts per region, district, institution or type, and the people behind
    a section."""

    rule = "censusdb.reconciliation"
    filterset_class = ReconciliationFilterSet
    pagination_class = None  # each action pages its own rows (the people by the counters)

    def get_queryset(self) -> QuerySet[Institution]:
        if getattr(self, "swagger_fake_view", False):
            return Institution.objects.none()
        return selectors.reconciliation_institutions(
            user=actor_of(self.request), campaign=self._campaign()
        )

    def _campaign(self) -> Campaign:
        return selected_campaign(self.request)

    def _filtered(self) -> tuple[QuerySet[Institution], dict[str, Any]]:
        """The page's FilterSet over the caller's institutions; a value it refuses is a
        400 naming the parameter (``DjangoFilterBackend``'s own translation)."""
        filterset = DjangoFilterBackend().get_filterset(self.request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        return filterset.qs, dict(filterset.form.cleaned_data)

    @extend_schema(
        parameters=[
            ReconciliationQuerySerializer,
            OpenApiParameter(
                "page", OpenApiTypes.INT, description="The page number (50 rows a page)."
            ),
        ],
        responses={
            200: ReconciliationReportSerializer,
            404: OpenApiResponse(description="No such page of rows."),
        },
        description=(
            "The four sections' counts per region, district, institution or institution "
            "type (``group``), with the page's filters; counts only, for every role that "
            "sees the page. Rows are paged, ``total`` covers them all."
        ),
    )
    def list(self, request: Request) -> Response:
        query = ReconciliationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        institutions, values = self._filtered()
        user = actor_of(request)
        group = query.validated_data.get("group") or selectors.reconciliation_level(
            user=user, values=values
        )
        campaign = self._campaign()
        report = selectors.reconciliation_report(
            institutions,
            campaign=campaign,
            level=group if group in selectors.LEVELS else "district",
        )
        rows = report.by_type if group == "type" else report.rows
        paginator = PageNumberPagination()
        # A list pages as a queryset does (Django's Paginator takes either).
        page: list[selectors.ReconciliationRow] = (
            paginator.paginate_queryset(cast(Any, rows), request, view=self) or []
        )
        return Response(
            {
                "campaign": campaign.code,
                "group": group,
                "still_time": report.still_time,
                "total": _total(report.total),
                **_links(paginator),
                "results": [_row(row) for row in page],
            }
        )

    @extend_schema(
        filters=True,
        parameters=[
            OpenApiParameter(
                "page", OpenApiTypes.INT, description="The page number (50 people a page)."
            )
        ],
        responses={
            200: ReconciliationPeopleSerializer,
            404: OpenApiResponse(description="No such page of the section."),
        },
        description=(
            "The people behind one section (``section`` required), 50 a page, ordered by "
            "institution and name: the Department's region, an officer's or institution "
            "client's own institution; the commission has the counts only (403)."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="people",
        rule="censusdb.reconciliation_people",
        filterset_class=ReconciliationPeopleFilterSet,
    )
    def people(self, request: Request) -> Response:
        institutions, values = self._filtered()
        section = values["section"]
        user = actor_of(request)
        campaign = self._campaign()
        report = selectors.reconciliation_report(institutions, campaign=campaign, level="region")
        people = selectors.reconciliation_people(
            user=user, campaign=campaign, section=section, institutions=institutions
        )
        paginator = CountedApiPagination(count=report.total.of(section))
        page = paginator.paginate_queryset(people, request, view=self) or []
        record_read(
            request,
            object_type="respondents.respondent",
            record_count=len(page),
            institution=user.institution_id,
            extra={"report": "census_reconciliation", "section": section},
        )
        return Response(
            {
                "campaign": campaign.code,
                "section": section,
                **_links(paginator),
                "results": [_person(row, section) for row in page],
            }
        )
