"""``/api/v1/sync-records/``: tablets and the census system post syncs; readers list them.

A tablet posts with ``Authorization: Device <key>`` (its kit is the key's); the census
system or the Department posts with a department token or session and names the kit.
Every post carries an ``Idempotency-Key`` header: the same key and body give the first
record back (200), a different body under the same key answers 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authentication import ApiTokenAuthentication
from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from census_coord.api import (
    ErrorSerializer,
    conflict_response,
    error_body,
    validation_error_items,
)
from census_coord.errors import service_error_messages
from equipment import selectors as equipment_selectors
from equipment.models import TabletKit
from sync import selectors, services
from sync.api.serializers import SyncRecordCreateSerializer, SyncRecordSerializer
from sync.authentication import DeviceTokenAuthentication
from sync.filters import SyncRecordFilterSet
from sync.models import DeviceToken, SyncRecord


class SyncRecordViewSet(
    AuditedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SyncRecordSerializer
    authentication_classes = [
        DeviceTokenAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    # Posting: a device key, or a region-wide (department) user. Reading: scoped users.
    rule = "sync.view"
    action_rules = {"create": "sync.record"}
    filterset_class = SyncRecordFilterSet

    def get_queryset(self) -> QuerySet[SyncRecord]:
        return selectors.sync_record_list(user=actor_of(self.request))

    def get_serializer_class(self) -> Any:
        return SyncRecordCreateSerializer if self.action == "create" else SyncRecordSerializer

    def _kit(self, request: Request, data: dict[str, Any]) -> TabletKit | None:
        if isinstance(request.auth, DeviceToken):
            kit = request.auth.kit
            given = data.get("kit")
            return kit if not given or given == kit.inventory_number else None
        # Only a kit the poster may see: a regional department user cannot post for (or learn
        # of) another region's tablets.
        return (
            equipment_selectors.kit_list(user=actor_of(request))
            .filter(inventory_number=data.get("kit") or "")
            .first()
        )

    @extend_schema(
        request=SyncRecordCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="1 to 128 characters; a retried post sends the same key.",
            )
        ],
        responses={
            201: SyncRecordSerializer,
            200: OpenApiResponse(SyncRecordSerializer, description="The same key and body again."),
            409: OpenApiResponse(ErrorSerializer, description="The same key, another body."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = SyncRecordCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        kit = self._kit(request, data)
        if kit is None:
            return Response(
                error_body(
                    code="unknown_kit",
                    message=_("No such tablet kit, or not the kit of this device key."),
                    errors=[
                        {
                            "field": "kit",
                            "row": None,
                            "code": "unknown_kit",
                            "message": _("Give the inventory number of a tablet kit."),
                        }
                    ],
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        device = request.auth if isinstance(request.auth, DeviceToken) else None
        try:
            record, created = services.sync_record_receive(
                kit=kit,
                channel=data["channel"],
                sent_at=data["sent_at"],
                form_count=data["form_count"],
                payload_checksum=data["payload_checksum"],
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                enumerations=data["enumerations"],
                device_token=device,
                actor=None if device else actor_of(request),
                media_id=data["media_id"],
            )
        except services.SyncConflict as conflict:
            return conflict_response(code=conflict.code, message=str(conflict))
        except ValidationError as error:
            code = getattr(error, "code", None) or "validation_error"
            message = (
                service_error_messages(error)[0]
                if code in ("device_token_revoked", "mark_in_future")
                else _("Nothing was saved: the sync has errors.")
            )
            return Response(
                error_body(code=code, message=message, errors=validation_error_items(error)),
                status=(
                    status.HTTP_403_FORBIDDEN
                    if code == "device_token_revoked"
                    else status.HTTP_400_BAD_REQUEST
                ),
            )
        body = SyncRecordSerializer(record).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
