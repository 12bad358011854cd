"""REST API of respondent lists, rows and imports; tokens act with their user's scope.

Reads go through the scoped selectors (another institution's objects answer 404), writes
through the services, which decide who may change which list.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from census_coord.api import ErrorSerializer, error_body, service_validation_error
from census_coord.errors import service_error_messages
from census_coord.upload_handlers import upload_cut_message, upload_was_cut
from respondents import selectors, services
from respondents.api.serializers import (
    BatchResultSerializer,
    ImportErrorSerializer,
    ImportJobSerializer,
    RespondentBatchSerializer,
    RespondentInputSerializer,
    RespondentListSerializer,
    RespondentSerializer,
    UploadSerializer,
)
from respondents.filters import RespondentApiFilterSet, RespondentListFilterSet
from respondents.importing import reports
from respondents.importing.audit import audit_import_errors
from respondents.importing.selectors import import_job_get, import_job_list
from respondents.importing.services import (
    RowsRejected,
    import_job_create,
    respondents_batch_create,
)
from respondents.importing.throttling import (
    BUSY_CODE,
    THROTTLED_CODE,
    UPLOAD_THROTTLES,
    UploadThrottled,
    import_busy_message,
    upload_wait_message,
)
from respondents.models import ImportJob, ImportSource, Respondent, RespondentList
from respondents.models.imports import ACTIVE_STATES


def _rejected_response(rejected: RowsRejected) -> Response:
    return Response(
        error_body(
            code="rows_invalid",
            message=rejected.message,
            errors=[error.as_dict() for error in rejected.errors],
        ),
        status=status.HTTP_400_BAD_REQUEST,
    )


@extend_schema(tags=["respondent lists"])
class RespondentListViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Respondent lists the caller may see: an institution's token sees only its own."""

    serializer_class = RespondentListSerializer
    filterset_class = RespondentListFilterSet
    rule: str | None = None  # reading lists: any signed-in caller; actions name their own

    def get_queryset(self) -> QuerySet[RespondentList]:
        # The list's size counter, not a count of its rows: the cost stays per list.
        lists = selectors.respondent_list_list(user=actor_of(self.request)).annotate(
            row_count=Coalesce("size__rows", 0)
        )
        return lists.order_by("pk")

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise UploadThrottled(wait=wait, message=upload_wait_message(wait), code=THROTTLED_CODE)

    @extend_schema(request=None, responses={200: RespondentListSerializer})
    @action(detail=True, methods=["post"], rule="list.submit")
    def submit(self, request: Request, pk: str) -> Response:
        """Send a draft or returned list to the department (the institution's officer)."""
        respondent_list = self.get_object()
        try:
            services.respondent_list_submit(
                actor=actor_of(request), respondent_list=respondent_list
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=respondent_list.pk)).data)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={
            202: ImportJobSerializer,
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many uploads, or an import of this list is queued or running.",
            ),
        },
        description=(
            "Upload a CSV or XLSX file of rows; it is imported by a worker, all rows or none. "
            "Poll the returned job for its state and errors."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="uploads",
        rule="import.start",
        throttle_classes=UPLOAD_THROTTLES,
    )
    def uploads(self, request: Request, pk: str) -> Response:
        respondent_list = self.get_object()
        if ImportJob.objects.filter(
            respondent_list=respondent_list, state__in=ACTIVE_STATES
        ).exists():
            raise UploadThrottled(wait=None, message=import_busy_message(), code=BUSY_CODE)
        upload = UploadSerializer(data=request.data)
        if upload_was_cut(request):
            raise serializers.ValidationError(
                {"file": [ErrorDetail(upload_cut_message(), code="upload_cut")]}
            )
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        try:
            job = import_job_create(
                actor=actor_of(request),
                respondent_list=respondent_list,
                upload=file,
                file_name=file.name,
                mode=upload.validated_data["mode"],
                source=ImportSource.API,
            )
        except DjangoValidationError as error:
            if getattr(error, "code", None) == BUSY_CODE:  # another upload won the race
                raise UploadThrottled(
                    wait=None, message=service_error_messages(error)[0], code=BUSY_CODE
                ) from None
            raise service_validation_error(error) from error
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["respondents"])
class RespondentViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Rows of one list. Changes only while the list is a draft or returned; every row
    passes the same rules as the pages and file imports. Names are never query parameters."""

    serializer_class = RespondentSerializer
    filterset_class = RespondentApiFilterSet
    parser_classes = [JSONParser]
    rule = "respondent.view_personal"
    action_rules = dict.fromkeys(
        ("create", "update", "partial_update", "destroy"), "list.edit_rows"
    )

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.respondent_list()  # another institution's list answers 404 before anything else

    def respondent_list(self) -> RespondentList:
        if not hasattr(self, "_respondent_list"):
            self._respondent_list = selectors.respondent_list_get(
                user=actor_of(self.request), pk=int(self.kwargs["list_pk"])
            )
        return self._respondent_list

    def get_queryset(self) -> QuerySet[Respondent]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no list
            return Respondent.objects.none()
        return selectors.respondent_search(
            user=actor_of(self.request), respondent_list=self.respondent_list()
        ).order_by("pk")

    def get_object(self) -> Respondent:
        respondent = selectors.respondent_get(
            user=actor_of(self.request),
            respondent_list=self.respondent_list(),
            pk=int(self.kwargs["pk"]),
        )
        self._audited_object = respondent  # the audit names the row and its institution
        return respondent

    def _input(self, request: Request) -> dict[str, Any]:
        data = RespondentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=RespondentInputSerializer, responses={201: RespondentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            row = services.respondent_create(
                actor=actor_of(request),
                respondent_list=self.respondent_list(),
                data=self._input(request),
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(RespondentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RespondentInputSerializer, responses={200: RespondentSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        respondent = self.get_object()
        data = self._input(request) if not kwargs.get("partial") else None
        if data is None:
            current = RespondentInputSerializer(respondent).data
            merged = RespondentInputSerializer(data={**current, **request.data})
            merged.is_valid(raise_exception=True)
            data = dict(merged.validated_data)
        try:
            row = services.respondent_update(
                actor=actor_of(request), respondent=respondent, data=data
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(RespondentSerializer(row).data)

    @extend_schema(request=RespondentInputSerializer, responses={200: RespondentSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            services.respondent_delete(actor=actor_of(request), respondent=self.get_object())
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=RespondentBatchSerializer,
        responses={
            201: BatchResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Every error, by row and field"),
        },
        description=(
            "Append up to 10,000 rows at once, all or none. Rows already on the list (same "
            "IIN, or same names and birth date without one) are skipped, so a retried post "
            "adds nothing. Errors name the row (1-based) and field."
        ),
    )
    @action(detail=False, methods=["post"])
    def batch(self, request: Request, list_pk: str) -> Response:
        batch = RespondentBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        try:
            outcome = respondents_batch_create(
                actor=actor_of(request),
                respondent_list=self.respondent_list(),
                rows=batch.validated_data["rows"],
            )
        except RowsRejected as rejected:
            return _rejected_response(rejected)
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        result = BatchResultSerializer(
            {
                "rows_total": outcome.rows_total,
                "rows_added": outcome.rows_added,
                "rows_skipped": outcome.rows_skipped,
            }
        )
        return Response(result.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["imports"])
class ImportJobViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Import jobs of the lists the caller may see: state, progress and errors."""

    serializer_class = ImportJobSerializer
    rule = "respondent.view_personal"

    def get_queryset(self) -> QuerySet[ImportJob]:
        return import_job_list(user=actor_of(self.request)).order_by("-pk")

    def get_object(self) -> ImportJob:
        job = import_job_get(user=actor_of(self.request), pk=int(self.kwargs["pk"]))
        self._audited_object = job
        return job

    @extend_schema(
        responses={200: ImportErrorSerializer(many=True)},
        description="Every error as a JSON array (a download), not only the job's preview.",
    )
    @action(detail=True, methods=["get"], url_path="errors", pagination_class=None)
    def errors(self, request: Request, pk: str) -> HttpResponseBase:
        job = self.get_object()
        audit_import_errors(request=request, job=job, file_format="json")
        return reports.errors_json_response(job)

    @extend_schema(
        responses={(200, reports.XLSX_TYPE): OpenApiTypes.BINARY},
        description="The file's rows with errors, as uploaded, with an error column.",
    )
    @action(detail=True, methods=["get"], url_path="errors.xlsx", url_name="errors-xlsx")
    def errors_xlsx(self, request: Request, pk: str) -> HttpResponse:
        job = self.get_object()
        audit_import_errors(request=request, job=job, file_format="xlsx")
        return reports.errors_xlsx_response(job)
