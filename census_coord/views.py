"""Landing page (sends each role to its own start page) and the error pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from rest_framework.exceptions import NotFound

from accounts.roles import Role, role_of
from census_coord.api import API_PREFIX, error_body
from census_coord.links import reverse_once


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.OFFICER:
        return redirect("institutions:officer_home")
    if role in (Role.DEPARTMENT, Role.COMMISSION):
        return redirect("institutions:department_home")
    return redirect("accounts:no_role")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, a PDF)."""
    return redirect(static("favicon.svg"), permanent=True)


# --- error pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Way:
    """A page the user may open instead of the one refused."""

    url_name: str
    label: str | Promise

    @property
    def url(self) -> str:
        return reverse_once(self.url_name)


WAYS: dict[Role | None, tuple[str | Promise, tuple[Way, ...]]] = {
    Role.OFFICER: (
        _("You work with your own institution's pages:"),
        (
            Way("institutions:officer_home", _("My institution: the checklist")),
            Way("respondents:my_list", _("Respondent list")),
            Way("enumeration:worklist", _("Enumeration")),
            Way("enumeration:progress", _("Enumeration progress")),
            Way("equipment:overview", _("Tablets and acts")),
        ),
    ),
    Role.DEPARTMENT: (
        _("The Department's pages cover the whole region:"),
        (
            Way("institutions:department_home", _("Readiness of institutions")),
            Way("respondents:board", _("Lists board")),
            Way("enumeration:progress", _("Enumeration progress")),
            Way("equipment:overview", _("Tablet kits")),
        ),
    ),
    Role.COMMISSION: (
        _("The regional commission reads the reports:"),
        (
            Way("institutions:department_home", _("Readiness of institutions")),
            Way("enumeration:progress", _("Enumeration progress")),
        ),
    ),
    None: (
        _(
            "Your account has no role in this census yet. Ask the regional department to "
            "assign one."
        ),
        (),
    ),
}


def _ways(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ways_intro": "", "ways": ()}
    intro, ways = WAYS.get(role_of(user), WAYS[None])
    return {"ways_intro": intro, "ways": ways}


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 in the site layout: what this user can open instead, by role."""
    body = loader.render_to_string("403.html", _ways(request), request=request)
    return HttpResponseForbidden(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (most often one left open past the session timeout): the 403 page,
    saying what happened and how to go on, instead of Django's English one."""
    context = {**_ways(request), "csrf_failed": True}
    body = loader.render_to_string("403.html", context, request=request)
    return HttpResponseForbidden(body)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the site layout. Another institution's record answers 404 too, so the page
    does not say whether the address exists. An API address that no route matches (e.g. an
    id that is not a number) answers in the API's error shape, as its other 404s do."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            error_body(code=NotFound.default_code, message=str(NotFound.default_detail)),
            status=404,
        )
    body = loader.render_to_string("404.html", _ways(request), request=request)
    return HttpResponseNotFound(body)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request's context processors, which read the database
    (the user, unread notifications) — the database may be what failed."""
    return HttpResponseServerError(loader.render_to_string("500.html"))
