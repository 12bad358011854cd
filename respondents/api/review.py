"""REST of what the Department and the institution do to a list after it is submitted: the
review (accept, return with a comment) and the amendments of an accepted list (a person
arrived, a person departed).

The same services as the pages (``respondents.services``) make every change and ask the
policy; reads go through the scoped selectors, so another institution's list or person
answers 404. A client that retries a request whose answer it lost gets the same answer:
accepting an accepted list, returning a list already returned with the same comment,
recording the same arrival or departure again change nothing and answer 200.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from census_coord.api import service_validation_error
from census_coord.errors import service_error_items
from respondents import selectors, services
from respondents.api.serializers import (
    RespondentInputSerializer,
    RespondentListSerializer,
    RespondentSerializer,
)
from respondents.choices import DepartureReason, ListStatus
from respondents.models import Respondent, RespondentList
from respondents.validation import duplicate_keys, validate_row

# --- serializers -------------------------------------------------------------------


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Optional when accepting; required when returning (what to correct).",
    )


class ArrivalSerializer(RespondentInputSerializer):
    """A person who arrived after the reference date: the row's fields and the date."""

    arrived_on = serializers.DateField(help_text="After the reference date, not in the future.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DepartureSerializer(serializers.Serializer):
    departed_on = serializers.DateField(help_text="After the reference date, not in the future.")
    reason = serializers.ChoiceField(choices=DepartureReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _error_codes(error: DjangoValidationError) -> set[str]:
    return {item.code for item in service_error_items(error)}


# --- the review --------------------------------------------------------------------


@extend_schema(tags=["respondent lists"])
class RespondentListReviewViewSet(viewsets.GenericViewSet):
    """The Department's review of a submitted list (its staff, or its API client)."""

    serializer_class = RespondentListSerializer
    rule = "list.review"

    def get_queryset(self) -> Any:
        return selectors.respondent_list_list(user=actor_of(self.request)).annotate(
            row_count=Coalesce("size__rows", 0)
        )

    def _answer(self, respondent_list: RespondentList) -> Response:
        return Response(
            RespondentListSerializer(self.get_queryset().get(pk=respondent_list.pk)).data
        )

    def _comment(self, request: Request) -> str:
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return str(body.validated_data.get("comment", ""))

    @extend_schema(
        request=ReviewSerializer,
        responses={200: RespondentListSerializer},
        description=(
            "Accept a submitted list: from now on only amendments change it. Accepting a list "
            "that is already accepted changes nothing and answers 200 (a retry is safe)."
        ),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        respondent_list = self.get_object()
        comment = self._comment(request)
        try:
            services.respondent_list_accept(
                actor=actor_of(request), respondent_list=respondent_list, comment=comment
            )
        except DjangoValidationError as error:
            respondent_list.refresh_from_db()
            if respondent_list.status != ListStatus.ACCEPTED:
                raise service_validation_error(error) from error
        return self._answer(respondent_list)

    @extend_schema(
        request=ReviewSerializer,
        responses={200: RespondentListSerializer},
        description=(
            "Return a submitted list to the institution with a comment saying what to "
            "correct. Returning it again with the same comment answers 200 (a retry)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        respondent_list = self.get_object()
        comment = self._comment(request)
        try:
            services.respondent_list_return(
                actor=actor_of(request), respondent_list=respondent_list, comment=comment
            )
        except DjangoValidationError as error:
            respondent_list.refresh_from_db()
            retried = (
                respondent_list.status == ListStatus.RETURNED
                and comment.strip()
                and respondent_list.review_comment == comment.strip()
            )
            if not retried:
                raise service_validation_error(error) from error
        return self._answer(respondent_list)


# --- amendments --------------------------------------------------------------------


def _same_arrival(
    respondent_list: RespondentList, data: dict[str, Any], arrived_on: dt.date, user: Any
) -> Respondent | None:
    """The person this arrival already added (a retried request), if any."""
    result = validate_row(data, reference_date=respondent_list.campaign.list_reference_date)
    if result.errors:
        return None
    rows = selectors.respondent_list_rows(user=user).filter(
        respondent_list=respondent_list,
        arrived_on=arrived_on,  # set by an arrival only
    )
    for key in duplicate_keys(result.values):
        if key[0] == "iin":
            rows = rows.filter(iin=key[1])
        else:
            rows = rows.filter(
                iin="",
                surname__iexact=result.values["surname"],
                given_name__iexact=result.values["given_name"],
                birth_date=result.values["birth_date"],
            )
        return rows.first()
    return None


@extend_schema(tags=["respondent lists"])
class ArrivalViewSet(viewsets.GenericViewSet):
    """Amendments of an accepted list: a person who arrived after the reference date."""

    serializer_class = RespondentSerializer
    rule = "list.edit_rows"

    def get_queryset(self) -> Any:
        return selectors.respondent_list_list(user=actor_of(self.request))

    @extend_schema(
        request=ArrivalSerializer,
        responses={
            201: RespondentSerializer,
            200: OpenApiResponse(
                RespondentSerializer, description="The same arrival was recorded before."
            ),
        },
        description=(
            "Add a person who arrived after the reference date to an accepted list; the "
            "row passes the same rules as every other row. The same arrival posted again "
            "(same person, same date) answers 200 with the row recorded the first time."
        ),
    )
    @action(detail=True, methods=["post"])
    def arrivals(self, request: Request, pk: str) -> Response:
        respondent_list = self.get_object()
        body = ArrivalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        arrived_on, comment = data.pop("arrived_on"), data.pop("comment", "")
        actor = actor_of(request)
        try:
            row = services.respondent_add_arrival(
                actor=actor,
                respondent_list=respondent_list,
                data=data,
                arrived_on=arrived_on,
                comment=comment,
            )
        except DjangoValidationError as error:
            earlier = _same_arrival(respondent_list, data, arrived_on, actor)
            if earlier is None:
                raise service_validation_error(error) from error
            return Response(RespondentSerializer(earlier).data)
        return Response(RespondentSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["respondents"])
class DepartureViewSet(viewsets.GenericViewSet):
    """Amendments of an accepted list: a person who left (or died) after the reference date."""

    serializer_class = RespondentSerializer
    rule = "list.edit_rows"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no list
            return Respondent.objects.none()
        respondent_list = selectors.respondent_list_get(
            user=actor_of(self.request), pk=int(self.kwargs["list_pk"])
        )
        return selectors.respondent_list_rows(user=actor_of(self.request)).filter(
            respondent_list=respondent_list
        )

    @extend_schema(
        request=DepartureSerializer,
        responses={200: RespondentSerializer},
        description=(
            "Record that a person on an accepted list left or died after the reference date. "
            "The same departure posted again (same date and reason) answers 200 unchanged; "
            "another date or reason for a recorded departure is refused (400)."
        ),
    )
    @action(detail=True, methods=["post"])
    def departure(self, request: Request, list_pk: str, pk: str) -> Response:
        respondent = self.get_object()
        body = DepartureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            respondent = services.respondent_record_departure(
                actor=actor_of(request),
                respondent=respondent,
                departed_on=data["departed_on"],
                reason=data["reason"],
                comment=data.get("comment", ""),
            )
        except DjangoValidationError as error:
            respondent.refresh_from_db()
            retried = (
                _error_codes(error) == {"already_departed"}
                and respondent.departed_on == data["departed_on"]
                and respondent.departure_reason == data["reason"]
            )
            if not retried:
                raise service_validation_error(error) from error
        return Response(RespondentSerializer(respondent).data)
