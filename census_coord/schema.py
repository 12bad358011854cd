"""The OpenAPI schema as the wire is: every error status an operation can answer, documented
with the one error body (``census_coord.api.ErrorSerializer``).

A client generated from the schema (openapi-python-client, see docs/API.md) parses an error
into a typed ``Error`` only when the status is documented; an undocumented one is "unexpected".
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc

from census_coord.api import ErrorSerializer

# The schema is a developer's document, in English like the serializers' help texts.
ERROR_DESCRIPTIONS = {
    "400": "The request has invalid data; each error names its field (and row).",
    "401": "No credentials, or a token that is wrong, revoked or of an inactive account.",
    "403": "The caller may not do this.",
    "404": "No such object among those the caller may see, or no such page.",
    "413": "The body is larger than the upload limit.",
    "429": "Too many requests; wait and try again.",
}
WRITE_METHODS = ("POST", "PUT", "PATCH")
DIGITS = "^[0-9]+$"  # census_coord.routers.ApiRouter's ids


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error responses each operation really gives."""

    def _error_statuses(self) -> list[str]:
        statuses = ["401", "403"]
        # A body, or query parameters (a FilterSet's or a view's own), checked by a form.
        filtered = (
            getattr(self.view, "filterset_class", None)
            or getattr(self.view, "filterset_fields", None)
            or self.get_override_parameters()
        )
        if self.method in WRITE_METHODS or filtered:
            statuses.append("400")
        # A detail route's object, or a list's page, that the caller cannot see.
        if "{" in self.path or self._is_list_view():
            statuses.append("404")
        if self.method in WRITE_METHODS:
            statuses.append("413")  # UploadBodyLimitMiddleware, on any body over the limit
        if self.view.get_throttles():
            statuses.append("429")
        return statuses

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's, not DRF's
        """A viewset without a docstring of its own would show its mixin's (how it is
        audited), which says nothing to a client."""
        description = super().get_description()
        view_class = type(self.view)
        if not view_class.__doc__ and description == get_doc(view_class):
            return ""
        return description

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        """A database id's route matches digits only: an integer to a client, not a text."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == DIGITS:
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self._error_statuses():
            responses.setdefault(status, {"description": ERROR_DESCRIPTIONS[status]})
        for status, response in responses.items():
            # An error declared by a view with its description only gets the error body.
            if status[0] in "45" and "content" not in response:
                body = self._get_response_for_code(ErrorSerializer, status, direction=direction)
                response["content"] = body["content"]
        return responses
