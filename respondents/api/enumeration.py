"""REST batch endpoint of stage 2: many outcomes in one POST, all or nothing.

``POST /api/v1/enumerations/batch/`` with ``{"updates": [{"respondent_id": 1, "status":
"enumerated", "method": "tablet", "enumerated_on": "2021-10-05", ...}, ...]}``. The same
service as the worklist records them in a constant number of queries; any error rejects
the whole batch with the rows named in the project's error shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import role_of
from audit.models import AuditAction
from audit.services import audit_record
from census_coord.api import error_body, validation_error_items
from respondents import enumeration_services as services
from respondents.choices import (
    EnumerationMethod,
    EnumerationSource,
    EnumerationStatus,
    NonEnumerationReason,
)
from respondents.models import Respondent

MAX_BATCH = 1000


class EnumerationUpdateSerializer(serializers.Serializer):
    respondent_id = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=EnumerationStatus.choices)
    method = serializers.ChoiceField(
        choices=EnumerationMethod.choices, required=False, allow_blank=True
    )
    reason = serializers.ChoiceField(
        choices=NonEnumerationReason.choices, required=False, allow_blank=True
    )
    reason_detail = serializers.CharField(max_length=500, required=False, allow_blank=True)
    enumerated_on = serializers.DateField(required=False, allow_null=True)
    staff_id = serializers.IntegerField(required=False, allow_null=True)
    tablet_kit_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    registration_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    window_override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EnumerationBatchSerializer(serializers.Serializer):
    updates = EnumerationUpdateSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)


class EnumerationResultSerializer(serializers.Serializer):
    respondent_id = serializers.IntegerField()
    status = serializers.CharField()
    method = serializers.CharField()
    reason = serializers.CharField()
    enumerated_on = serializers.DateField(allow_null=True)
    registration_number = serializers.CharField()


class EnumerationBatchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = EnumerationResultSerializer(many=True)


class CanRecordOutcomes(permissions.BasePermission):
    """Officers, their institutions' clients and the department; the commission reads only.

    Checked before the method, so a read-only actor is refused whatever it sends."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return role_of(request.user) in services.WRITERS


class EnumerationBatchView(APIView):
    """Record the outcome of many listed people at once (officer: own institution only)."""

    serializer_class = EnumerationBatchSerializer
    permission_classes = [permissions.IsAuthenticated, CanRecordOutcomes]

    @extend_schema(request=EnumerationBatchSerializer, responses=EnumerationBatchResultSerializer)
    def post(self, request: Request) -> Response:
        payload = EnumerationBatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            saved = services.enumeration_record_batch(
                actor=request.user,
                updates=payload.validated_data["updates"],
                source=EnumerationSource.API,
            )
        except ValidationError as error:
            return Response(
                error_body(
                    code="validation_error",
                    message=_("Nothing was saved: the batch has errors."),
                    errors=validation_error_items(error),
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        # One row for the batch: which people (ids, never names) and how many.
        ids = sorted(e.respondent_id for e in saved)
        institutions = set(
            Respondent.objects.filter(pk__in=ids).values_list(
                "respondent_list__institution_id", flat=True
            )
        )
        audit_record(
            request_or_actor=request,
            action=AuditAction.CHANGE,
            object_type="respondents.respondent",
            record_count=len(saved),
            institution=institutions.pop() if len(institutions) == 1 else None,
            extra={"record": "enumeration", "respondent_ids": ids},
        )
        results: list[dict[str, Any]] = EnumerationResultSerializer(saved, many=True).data
        return Response({"count": len(saved), "results": results})


urlpatterns = [
    path("enumerations/batch/", EnumerationBatchView.as_view(), name="enumeration-batch"),
]
