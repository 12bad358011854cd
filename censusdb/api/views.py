"""``/api/v1/census-exports/``: the census database (or the Department) pushes completed
forms, as JSON rows or a file, and follows the import's job. Department-wide only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from census_coord.api import service_validation_error
from censusdb import selectors, services
from censusdb.api.serializers import (
    CensusExportSerializer,
    CensusExportUploadSerializer,
    CensusRowsSerializer,
)
from censusdb.models import CensusExport


@extend_schema(tags=["census-db"])
class CensusExportViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Imports of the census database's completed forms and their progress."""

    serializer_class = CensusExportSerializer
    rule = "censusdb.import"
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[CensusExport]:
        return selectors.census_export_list(user=actor_of(self.request))

    @extend_schema(
        request=CensusRowsSerializer,
        responses={202: CensusExportSerializer},
        description=(
            "Push up to 10,000 completed forms; a worker imports them like a file. Poll the "
            "returned export for its state and counts."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = CensusRowsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            export = services.census_export_create(
                actor=actor_of(request), rows=payload.validated_data["rows"]
            )
        except ValidationError as error:
            raise service_validation_error(error) from error
        return Response(CensusExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request={"multipart/form-data": CensusExportUploadSerializer},
        responses={202: CensusExportSerializer},
        description="Upload the export as a CSV, XLSX or ODS file (the list import's limits).",
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="upload",
        rule="censusdb.import",
    )
    def upload(self, request: Request) -> Response:
        payload = CensusExportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload: File = payload.validated_data["file"]
        try:
            export = services.census_export_create(
                actor=actor_of(request), file=upload, file_name=upload.name or ""
            )
        except ValidationError as error:
            raise service_validation_error(error) from error
        return Response(CensusExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)
