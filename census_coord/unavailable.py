"""What people and API clients get while the database is away (issue 17, item 7).

Instead of Django's HTML 500: API clients get the usual JSON error body with status 503
and ``Retry-After``; people get a translated "temporarily unavailable" page. Neither needs
the database to render. Two entry points, because a database error can come from a view
(``DatabaseUnavailableMiddleware.process_exception``) or from another middleware — the
session, the user, the audit trail — which Django turns into a 500 and hands to
``handler500`` while the exception is still being handled.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error

from census_coord.api import API_PREFIX, error_body

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60

# Errors of the connection, not of the data: a restart or a network cut. psycopg2's own
# classes too: code that reaches the driver's cursor directly (COPY) is not wrapped.
DATABASE_CONNECTION_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
try:
    import psycopg2

    DATABASE_CONNECTION_ERRORS += (psycopg2.OperationalError, psycopg2.InterfaceError)
except ImportError:  # the embedded SQLite default may run without the driver
    pass


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            error_body(
                code="service_unavailable",
                message=_("The service is temporarily unavailable. Try again in a minute."),
            ),
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string(
                "errors/unavailable.html", {"retry_minutes": RETRY_AFTER_SECONDS // 60}
            ),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_CONNECTION_ERRORS):
            return None
        # The kind only: a database error's text may quote row values.
        logger.error("database unavailable: %s", type(exception).__name__)
        return database_unavailable_response(request)


def handler500(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, unless the error being handled is the database going away."""
    if isinstance(sys.exc_info()[1], DATABASE_CONNECTION_ERRORS):
        return database_unavailable_response(request)
    return server_error(request)
