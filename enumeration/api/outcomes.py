"""REST reads of stage 2: the outcome of every listed person, and the certificate register.

``GET /api/v1/enumerations/`` gives the active campaign's listed people with their outcome
(a person without one is pending): an institution's client sees its own, the Department
the region. Filters (``enumeration.filters.OutcomeFilterSet``) narrow by status, method,
institution and ``updated_since``, so a client can fetch only what changed since its last
read. ``GET /api/v1/certificates/`` is the register of issued certificates; ``POST
/api/v1/certificates/{id}/pdf/`` prints one, as the page does (a reprint says "duplicate").
Everything goes through the scoped selectors: another institution's person or certificate
answers 404, and the commission, which has the figures but not the names, gets 403.
"""

from __future__ import annotations

import logging

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from census_coord.api import ReadOnlyModelSerializer
from enumeration import selectors
from enumeration.certificates import certificate_print_response
from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from enumeration.filters import OutcomeFilterSet
from enumeration.models import Certificate
from institutions.selectors import campaign_get_active
from respondents.models import Respondent

logger = logging.getLogger(__name__)

CERTIFICATE_LANGUAGES = ("kk", "ru")

# --- serializers -------------------------------------------------------------------


class OutcomeSerializer(serializers.Serializer):
    """One listed person's stage-2 outcome; the person is named by ids, not by name."""

    respondent_id = serializers.IntegerField(source="pk", read_only=True)
    respondent_list = serializers.IntegerField(source="respondent_list_id", read_only=True)
    institution_bin = serializers.CharField(
        source="respondent_list.institution.bin", read_only=True
    )
    external_ref = serializers.CharField(
        read_only=True, help_text='The institution\'s own key for the person, or "".'
    )
    iin = serializers.CharField(read_only=True, help_text='"" for a person without an IIN.')
    status = serializers.ChoiceField(
        source="outcome_status", choices=EnumerationStatus.choices, read_only=True
    )
    method = serializers.ChoiceField(
        source="outcome_method",
        choices=EnumerationMethod.choices,
        read_only=True,
        allow_blank=True,
    )
    reason = serializers.ChoiceField(
        source="outcome_reason",
        choices=NonEnumerationReason.choices,
        read_only=True,
        allow_blank=True,
    )
    enumerated_on = serializers.DateField(
        source="enumeration.enumerated_on", read_only=True, allow_null=True, default=None
    )
    registration_number = serializers.CharField(source="outcome_registration", read_only=True)
    certificate_number = serializers.CharField(
        source="certificate.display_number", read_only=True, allow_null=True, default=None
    )
    updated_at = serializers.DateTimeField(
        source="enumeration.updated_at",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="When the outcome last changed; null while nothing was recorded.",
    )


class CertificateSerializer(ReadOnlyModelSerializer):
    number = serializers.CharField(source="display_number", read_only=True)
    respondent_id = serializers.IntegerField(source="respondent.pk", read_only=True)
    external_ref = serializers.CharField(source="respondent.external_ref", read_only=True)
    full_name = serializers.CharField(source="respondent.full_name", read_only=True)
    birth_date = serializers.DateField(source="respondent.birth_date", read_only=True)
    institution_bin = serializers.CharField(
        source="respondent.respondent_list.institution.bin", read_only=True
    )
    campaign = serializers.CharField(source="campaign.code", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "campaign",
            "issued_on",
            "respondent_id",
            "external_ref",
            "full_name",
            "birth_date",
            "institution_bin",
        ]
        read_only_fields = fields


class CertificatePrintSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=CERTIFICATE_LANGUAGES, default="kk")


# --- views -------------------------------------------------------------------------


@extend_schema(tags=["enumerations"])
class OutcomeViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Listed people of the active campaign with their stage-2 outcome, by respondent id."""

    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    rule = "respondent.view_personal"

    def get_queryset(self) -> QuerySet[Respondent]:
        if getattr(self, "swagger_fake_view", False):
            return Respondent.objects.none()
        empty = Value("", output_field=CharField())
        return (
            selectors.listed_respondents(
                user=actor_of(self.request), campaign=campaign_get_active()
            )
            .select_related("enumeration", "certificate", "respondent_list__institution")
            .annotate(
                outcome_status=Coalesce(
                    "enumeration__status", Value(EnumerationStatus.PENDING.value)
                ),
                outcome_method=Coalesce("enumeration__method", empty),
                outcome_reason=Coalesce("enumeration__reason", empty),
                outcome_registration=Coalesce("enumeration__registration_number", empty),
            )
            .order_by("pk")
        )


@extend_schema(tags=["certificates"])
class CertificateViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The register of the active campaign's certificates the caller may see, by number."""

    serializer_class = CertificateSerializer
    rule = "certificate.view"

    def get_queryset(self) -> QuerySet[Certificate]:
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return selectors.certificate_list(
            user=actor_of(self.request), campaign=campaign_get_active()
        ).select_related("campaign")

    @extend_schema(
        request=CertificatePrintSerializer,
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The certificate, ready to print."
            )
        },
        description=(
            "Print the certificate (PDF) in Kazakh or Russian. Every printing is recorded; "
            "a second printing in the same language is marked as a duplicate on the paper."
        ),
    )
    @action(detail=True, methods=["post"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        certificate = self.get_object()
        body = CertificatePrintSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        language = body.validated_data["language"]
        return certificate_print_response(request, certificate=certificate, language=language)
