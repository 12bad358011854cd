"""Shared REST API pieces: the one JSON error shape every endpoint answers with.

Every error body is ``{"code": str, "message": str, "errors": [ ... ]}`` where each item
of ``errors`` is ``{"field": str | None, "row": int | None, "code": str, "message": str}``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from census_coord.errors import service_error_items

API_PREFIX = "/api/"


def error_body(
    *, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


def validation_error_items(error: DjangoValidationError) -> list[dict[str, Any]]:
    """A service's ``ValidationError`` as items of the error body."""
    return [item.as_dict() for item in service_error_items(error)]


def service_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ``ValidationError`` raised through DRF, its fields and codes kept."""
    items = service_error_items(error)
    if all(item.field is None for item in items):
        return exceptions.ValidationError(
            [ErrorDetail(item.message, code=item.code) for item in items]
        )
    detail: dict[str, list[ErrorDetail]] = {}
    for item in items:
        key = item.field or api_settings.NON_FIELD_ERRORS_KEY
        detail.setdefault(key, []).append(ErrorDetail(item.message, code=item.code))
    return exceptions.ValidationError(detail)


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        items: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else str(key)
            items.extend(_flatten(value, f"{field}.{name}" if field and name else name or field))
        return items
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, field)]
    code = getattr(detail, "code", "invalid")
    return [{"field": field, "row": None, "code": str(code), "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped into the project's error body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            code="validation_error",
            message=_("The request has invalid data."),
            errors=_flatten(exc.detail),
        )
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = error_body(code=str(code), message=str(detail))
    response.data = body
    return response


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The field, or null for the whole.")
    row = serializers.IntegerField(allow_null=True, help_text="The row (1-based), or null.")
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The one error body, documented under every error status (``census_coord.schema``)."""

    code = serializers.CharField()
    message = serializers.CharField()
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]  # a field, not Serializer.errors


def conflict_response(*, code: str, message: str) -> Response:
    return Response(error_body(code=code, message=message), status=status.HTTP_409_CONFLICT)


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    """A read-only model serializer whose schema says which choices may be ``""``.

    DRF drops ``allow_blank`` from read-only fields, so a blank choice column (a
    departure reason not given) was documented as one of its choices only, while the
    API returned ``""``. Kept here, drf-spectacular adds the blank value to the enum.
    """

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and "choices" in kwargs:
            kwargs["allow_blank"] = True
        return kwargs
