"""REST batch endpoint of stage 2: many outcomes in one POST, all or nothing.

``POST /api/v1/enumerations/batch/`` with ``{"updates": [{"respondent_id": 1, "status":
"enumerated", "method": "tablet", "enumerated_on": "2021-10-05", ...}, ...]}``. The same
service as the worklist records them in a constant number of queries; any error rejects
the whole batch with the rows named in the project's error shape.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.types import actor_of
from census_coord.api import error_body, validation_error_items
from enumeration import services
from enumeration.api.serializers import (
    EnumerationBatchResultSerializer,
    EnumerationBatchSerializer,
    EnumerationResultSerializer,
)
from enumeration.choices import EnumerationSource


class EnumerationBatchView(APIView):
    """Record the outcome of many listed people at once (officer: own institution only)."""

    serializer_class = EnumerationBatchSerializer
    rule = "enumeration.record"

    @extend_schema(request=EnumerationBatchSerializer, responses=EnumerationBatchResultSerializer)
    def post(self, request: Request) -> Response:
        payload = EnumerationBatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            saved = services.enumeration_record_batch(
                actor=actor_of(request),
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
        results = EnumerationResultSerializer(saved, many=True).data
        return Response({"count": len(saved), "results": results})
