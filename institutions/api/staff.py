"""REST of the institutions' own part (¶5–7), as the pages of ``institutions.staff_views``.

The institution (its officer, or its API client) reports the head's appointment order, the
staff it appoints, their premises and computer, signs staff up for seminars and reports who
attended; the Department (its staff, or its API client) confirms each reported item or
returns it with a comment. Every write is the pages' service (``institutions.services``),
which asks the policy; every read goes through a scoped selector, so another institution's
item answers 404. Retried requests are safe: reporting what is already reported, signing
up someone already signed up, confirming a confirmed item or returning a returned one with
the same comment change nothing and answer 200.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from census_coord import clock
from census_coord.api import ReadOnlyModelSerializer, service_validation_error
from institutions import services
from institutions.api.filters import (
    AppointmentOrderFilterSet,
    ProvisioningFilterSet,
    SeminarAttendanceFilterSet,
    StaffFilterSet,
)
from institutions.choices import ReportKind, ReportState
from institutions.models import (
    AppointmentOrder,
    Institution,
    Provisioning,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
)
from institutions.models.reporting import ReportedByInstitution
from institutions.selectors import (
    appointment_order_list,
    campaign_get_active,
    institution_get,
    provisioning_list,
    reported_item_get,
    seminar_attendance_list,
    seminar_list,
    staff_list,
)

REPORT_FIELDS = ["report_state", "reported_at", "reviewed_at", "review_comment"]

# --- serializers -------------------------------------------------------------------


class AppointmentOrderSerializer(ReadOnlyModelSerializer):
    institution_bin = serializers.CharField(source="institution.bin", read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = AppointmentOrder
        fields = [
            "id",
            "institution",
            "institution_bin",
            "number",
            "date",
            "signed_by",
            "has_scan",
            *REPORT_FIELDS,
        ]
        read_only_fields = fields

    def get_has_scan(self, order: AppointmentOrder) -> bool:
        return bool(order.scan)


class AppointmentOrderInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    date = serializers.DateField()
    signed_by = serializers.CharField(max_length=255, help_text="Who signed the order.")
    scan = serializers.FileField(
        required=False,
        help_text="The signed order (PDF, JPEG or PNG); required the first time.",
    )


class ProvisioningSerializer(ReadOnlyModelSerializer):
    staff = serializers.IntegerField(source="staff_id", read_only=True)

    class Meta:
        model = Provisioning
        fields = [
            "id",
            "staff",
            "premises_provided",
            "premises_date",
            "premises_note",
            "computer_provided",
            "computer_date",
            "computer_note",
            *REPORT_FIELDS,
        ]
        read_only_fields = fields


class ProvisioningInputSerializer(serializers.Serializer):
    premises_provided = serializers.BooleanField()
    premises_date = serializers.DateField(required=False, allow_null=True)
    premises_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    computer_provided = serializers.BooleanField()
    computer_date = serializers.DateField(required=False, allow_null=True)
    computer_note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class StaffSerializer(ReadOnlyModelSerializer):
    institution_bin = serializers.CharField(source="institution.bin", read_only=True)
    order = serializers.IntegerField(source="order_id", read_only=True, allow_null=True)
    provisioning = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibleStaff
        fields = [
            "id",
            "institution",
            "institution_bin",
            "order",
            "full_name",
            "position",
            "phone",
            "census_role",
            "is_active",
            "provisioning",
            *REPORT_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(ProvisioningSerializer(allow_null=True))
    def get_provisioning(self, staff: ResponsibleStaff) -> dict[str, Any] | None:
        provisioning = getattr(staff, "provisioning", None)
        return ProvisioningSerializer(provisioning).data if provisioning is not None else None


class StaffInputSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text="The appointment order (its id) appointing them.")
    full_name = serializers.CharField(max_length=255)
    position = serializers.CharField(required=False, allow_blank=True, max_length=255)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=64)
    census_role = serializers.CharField(required=False, allow_blank=True, max_length=255)


class RegistrationSerializer(ReadOnlyModelSerializer):
    """One staff member signed up for (or reported at) a seminar."""

    seminar = serializers.IntegerField(source="seminar_id", read_only=True)
    staff = serializers.IntegerField(source="staff_id", read_only=True)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    institution_bin = serializers.CharField(source="staff.institution.bin", read_only=True)

    class Meta:
        model = SeminarAttendance
        fields = [
            "id",
            "seminar",
            "staff",
            "staff_name",
            "institution_bin",
            "attended",
            "note",
            *REPORT_FIELDS,
        ]
        read_only_fields = fields


class SeminarSerializer(ReadOnlyModelSerializer):
    upcoming = serializers.SerializerMethodField()
    registrations = serializers.SerializerMethodField()

    class Meta:
        model = Seminar
        fields = ["id", "date", "is_online", "place", "topics", "upcoming", "registrations"]
        read_only_fields = fields

    def get_upcoming(self, seminar: Seminar) -> bool:
        """Sign-up is open until the day of the seminar."""
        return seminar.date > clock.today()

    @extend_schema_field(RegistrationSerializer(many=True))
    def get_registrations(self, seminar: Seminar) -> list[dict[str, Any]]:
        """Who is registered, as far as the caller may see: an institution its own staff."""
        rows = self.context.get("registrations", {}).get(seminar.pk, [])
        return list(RegistrationSerializer(rows, many=True).data)


class SignUpSerializer(serializers.Serializer):
    staff = serializers.IntegerField(help_text="A responsible staff member of the institution.")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True, max_length=2000, help_text="What the institution should correct."
    )


# --- helpers -----------------------------------------------------------------------


def _own_institution(request: Request) -> Institution:
    """The caller's institution: reporting is the institution's act (the rule said who)."""
    actor = actor_of(request)
    if not actor.institution_id:
        raise PermissionDenied
    return institution_get(user=actor, pk=actor.institution_id)


def _field_missing(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [serializers.ErrorDetail(message, code="invalid")]})


class ReviewActionsMixin:
    """``POST …/{id}/confirm/`` and ``…/{id}/return/``: the Department's review of an
    item the institution reported (``institutions.services.report_confirm`` / ``_return``)."""

    report_kind: ReportKind

    def _reviewed(self, request: Request, pk: str) -> ReportedByInstitution:
        # The queue's selector: only items an institution reported, in the caller's scope.
        return reported_item_get(user=actor_of(request), kind=self.report_kind, pk=int(pk))

    def _answer(self, item: ReportedByInstitution) -> Response:
        return Response(self.get_serializer(item).data)  # type: ignore[attr-defined]  # a GenericViewSet mixin

    @extend_schema(
        request=None,
        description=(
            "Confirm an item the institution reported: from now on it counts as ready. "
            "Confirming a confirmed item answers 200 unchanged."
        ),
    )
    @action(detail=True, methods=["post"], rule="staff.confirm", parser_classes=[JSONParser])
    def confirm(self, request: Request, pk: str) -> Response:
        item = self._reviewed(request, pk)
        try:
            item = services.report_confirm(actor=actor_of(request), item=item)
        except DjangoValidationError as error:
            item.refresh_from_db()
            if item.report_state != ReportState.CONFIRMED:
                raise service_validation_error(error) from error
        return self._answer(item)

    @extend_schema(
        request=ReturnSerializer,
        description=(
            "Return a reported item to the institution with a comment; it does not count "
            "until corrected and confirmed. The same return again answers 200 unchanged."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        rule="staff.confirm",
        parser_classes=[JSONParser],
    )
    def return_(self, request: Request, pk: str) -> Response:
        item = self._reviewed(request, pk)
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data["comment"].strip()
        try:
            item = services.report_return(actor=actor_of(request), item=item, comment=comment)
        except DjangoValidationError as error:
            item.refresh_from_db()
            retried = (
                comment
                and item.report_state == ReportState.RETURNED
                and item.review_comment == comment
            )
            if not retried:
                raise service_validation_error(error) from error
        return self._answer(item)


# --- views -------------------------------------------------------------------------


@extend_schema(tags=["staff"])
class AppointmentOrderViewSet(
    AuditedViewSetMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The heads' appointment orders (¶5): an institution sees and reports its own."""

    serializer_class = AppointmentOrderSerializer
    filterset_class = AppointmentOrderFilterSet
    rule = "institution.view"
    action_rules = {"create": "staff.report", "update": "staff.report"}
    report_kind = ReportKind.ORDER
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> QuerySet[AppointmentOrder]:
        return appointment_order_list(user=actor_of(self.request)).order_by("pk")

    def _report(self, request: Request, order: AppointmentOrder | None) -> AppointmentOrder:
        body = AppointmentOrderInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            return services.appointment_order_report(
                actor=actor_of(request),
                institution=_own_institution(request),
                order=order,
                **body.validated_data,
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error

    @extend_schema(
        request={"multipart/form-data": AppointmentOrderInputSerializer},
        responses={
            201: AppointmentOrderSerializer,
            200: OpenApiResponse(
                AppointmentOrderSerializer,
                description="This order (number and date) was reported before; unchanged.",
            ),
        },
        description=(
            "Report the head's appointment order with the scan of the signed paper. The "
            "same order (number and date) posted again answers 200 with the order on record."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        institution = _own_institution(request)
        body = AppointmentOrderInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        earlier = (
            self.get_queryset()
            .filter(
                institution=institution,
                number=body.validated_data["number"].strip(),
                date=body.validated_data["date"],
            )
            .first()
        )
        if earlier is not None:
            return Response(AppointmentOrderSerializer(earlier).data)
        order = self._report(request, None)
        return Response(AppointmentOrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": AppointmentOrderInputSerializer},
        responses={200: AppointmentOrderSerializer},
        description=(
            "Correct an order that is reported or was returned, and report it again (a new "
            "scan replaces the old one; without one it stays). A confirmed order is refused."
        ),
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self._report(request, self.get_object())
        return Response(AppointmentOrderSerializer(order).data)


@extend_schema(tags=["staff"])
class StaffViewSet(
    AuditedViewSetMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Responsible staff (¶5), each with their premises and computer (¶7)."""

    serializer_class = StaffSerializer
    filterset_class = StaffFilterSet
    rule = "institution.view"
    action_rules = {"create": "staff.report", "update": "staff.report"}
    report_kind = ReportKind.STAFF
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> QuerySet[ResponsibleStaff]:
        return staff_list(user=actor_of(self.request)).select_related("provisioning").order_by("pk")

    def _input(self, request: Request) -> dict[str, Any]:
        body = StaffInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        order = appointment_order_list(user=actor_of(request)).filter(pk=data["order"]).first()
        if order is None:
            raise _field_missing("order", _("Choose an order of this institution."))
        data["order"] = order
        return data

    def _report(
        self, request: Request, data: dict[str, Any], staff: ResponsibleStaff | None
    ) -> ResponsibleStaff:
        try:
            return services.staff_report(actor=actor_of(request), staff=staff, **data)
        except DjangoValidationError as error:
            raise service_validation_error(error) from error

    @extend_schema(
        request=StaffInputSerializer,
        responses={
            201: StaffSerializer,
            200: OpenApiResponse(
                StaffSerializer, description="Reported before under this order; unchanged."
            ),
        },
        description=(
            "Report a staff member the order appoints; they count as appointed once the "
            "Department confirms them. The same person under the same order posted again "
            "answers 200 with the record on file."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _own_institution(request)
        data = self._input(request)
        earlier = (
            self.get_queryset()
            .filter(order=data["order"], full_name=data["full_name"].strip())
            .first()
        )
        if earlier is not None:
            return Response(StaffSerializer(earlier).data)
        staff = self._report(request, data, None)
        return Response(
            StaffSerializer(self.get_queryset().get(pk=staff.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=StaffInputSerializer,
        responses={200: StaffSerializer},
        description="Correct a reported or returned staff member and report them again.",
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        staff = self.get_object()
        _own_institution(request)
        self._report(request, self._input(request), staff)
        return Response(StaffSerializer(self.get_queryset().get(pk=staff.pk)).data)

    @extend_schema(
        request=ProvisioningInputSerializer,
        responses={200: ProvisioningSerializer},
        description=(
            "Report the premises and computer with internet access provided to the staff "
            "member (¶7); sending the same again reports it again, unchanged otherwise."
        ),
    )
    @action(detail=True, methods=["put"], rule="staff.report")
    def provisioning(self, request: Request, pk: str) -> Response:
        staff = self.get_object()
        _own_institution(request)
        body = ProvisioningInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            provisioning = services.provisioning_report(
                actor=actor_of(request), staff=staff, **body.validated_data
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(ProvisioningSerializer(provisioning).data)


@extend_schema(tags=["staff"])
class ProvisioningViewSet(AuditedViewSetMixin, ReviewActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Premises and computers the institutions reported (¶7), for the Department's review."""

    serializer_class = ProvisioningSerializer
    filterset_class = ProvisioningFilterSet
    rule = "institution.view"
    report_kind = ReportKind.PROVISIONING

    def get_queryset(self) -> QuerySet[Provisioning]:
        return provisioning_list(user=actor_of(self.request)).order_by("pk")


@extend_schema(tags=["seminars"])
class SeminarViewSet(viewsets.ReadOnlyModelViewSet):
    """The active campaign's seminars (date, place, topics), each with who is registered
    as far as the caller may see (an institution: its own staff)."""

    serializer_class = SeminarSerializer
    rule = "institution.view"

    def get_queryset(self) -> QuerySet[Seminar]:
        if getattr(self, "swagger_fake_view", False):
            return Seminar.objects.none()
        return seminar_list(user=actor_of(self.request), campaign=campaign_get_active())

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        registrations: dict[int, list[SeminarAttendance]] = {}
        rows = seminar_attendance_list(user=actor_of(self.request)).filter(
            seminar__campaign=campaign_get_active()
        )
        for row in rows.order_by("staff__full_name", "pk"):
            registrations.setdefault(row.seminar_id, []).append(row)
        context["registrations"] = registrations
        return context

    @extend_schema(
        request=SignUpSerializer,
        responses={
            201: RegistrationSerializer,
            200: OpenApiResponse(
                RegistrationSerializer, description="Already signed up; unchanged."
            ),
        },
        description=(
            "Sign a staff member of the institution up for an upcoming seminar (until the "
            "day before it). Signing up someone already registered answers 200."
        ),
    )
    @action(detail=True, methods=["post"], url_path="sign-ups", rule="seminar.sign_up")
    def sign_up(self, request: Request, pk: str) -> Response:
        seminar = self.get_object()
        institution = _own_institution(request)
        body = SignUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        staff = (
            staff_list(user=actor_of(request))
            .filter(institution=institution, pk=body.validated_data["staff"])
            .first()
        )
        if staff is None:
            raise _field_missing("staff", _("Choose a staff member of your institution."))
        existed = seminar_attendance_list(user=actor_of(request)).filter(
            seminar=seminar, staff=staff
        )
        earlier = existed.first()
        if earlier is not None:
            return Response(RegistrationSerializer(earlier).data)
        try:
            attendance = services.seminar_sign_up(
                actor=actor_of(request), seminar=seminar, staff=staff
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(RegistrationSerializer(attendance).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["seminars"])
class SeminarAttendanceViewSet(
    AuditedViewSetMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Sign-ups and attendance of the staff at seminars (¶6)."""

    serializer_class = RegistrationSerializer
    filterset_class = SeminarAttendanceFilterSet
    rule = "institution.view"
    action_rules = {"destroy": "seminar.sign_up"}
    report_kind = ReportKind.ATTENDANCE

    def get_queryset(self) -> QuerySet[SeminarAttendance]:
        return seminar_attendance_list(user=actor_of(self.request)).order_by("pk")

    @extend_schema(
        description="Cancel a sign-up before the seminar (the sheet no longer lists them)."
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        attendance = self.get_object()
        _own_institution(request)
        try:
            services.seminar_sign_up_cancel(actor=actor_of(request), attendance=attendance)
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: RegistrationSerializer},
        description=(
            "Report that the registered staff member attended the seminar, once it was "
            "held; it counts as training once the Department confirms it. Reporting it "
            "again (reported or confirmed) answers 200 unchanged."
        ),
    )
    @action(detail=True, methods=["post"], rule="staff.report")
    def attended(self, request: Request, pk: str) -> Response:
        attendance = self.get_object()
        _own_institution(request)
        if attendance.attended and attendance.report_state != ReportState.RETURNED:
            return Response(RegistrationSerializer(attendance).data)
        try:
            attendance = services.seminar_attendance_report(
                actor=actor_of(request), attendance=attendance
            )
        except DjangoValidationError as error:
            raise service_validation_error(error) from error
        return Response(RegistrationSerializer(attendance).data)
