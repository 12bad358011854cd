"""Refused and missing-object answers to signed-in users go to the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import audit_request_scope
from audit.models import AuditAction
from audit.services import audit_record

# 404 counts too: another institution's record answers 404, and that is a failed access.
REFUSED = frozenset({401, 403, 404})


class AuditMiddleware:
    """Records ``access_denied`` when a signed-in user (or token) is refused a route, and
    opens the scope in which every event recorded names this request's address, browser
    and route, and token authentication its token (``audit.context``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_request_scope(request):
            return self._respond(request)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code in REFUSED
            and match is not None
            and user is not None
            and user.is_authenticated
        ):
            object_id = match.kwargs.get("pk") or match.kwargs.get("object_id") or ""
            audit_record(
                request_or_actor=request,
                action=AuditAction.ACCESS_DENIED,
                object_id=object_id,
                extra={"status": response.status_code, "method": request.method},
            )
        return response
