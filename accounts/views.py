"""Sign-in, sign-out, the language switcher and an officer's API-client tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ApiTokenIssueForm, LoginForm
from accounts.selectors import api_token_list
from accounts.services import (
    api_token_issue,
    api_token_revoke,
    password_reset_complete,
    password_reset_request,
    user_set_language,
)
from accounts.types import AuthenticatedHttpRequest
from census_coord.errors import service_error_message
from census_coord.forms import form_add_service_errors
from census_coord.policy import rule_required


def locked_out(
    request: HttpRequest, response: object = None, credentials: object = None
) -> HttpResponse:
    """django-axes refused the sign-in (a username and address pair, an address or a
    username over its limit, ``accounts.lockout``): the same page in every case and
    whether or not the username exists, so a lockout reveals nothing about accounts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The answer is the same page whether the address is
    known, unknown or over the rate limit (``password_reset_request`` decides and audits)."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        password_reset_request(request=self.request, email=form.cleaned_data["email"])
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's link (``uidb64``/``token``; the token moves to the session at once)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_complete(request=self.request, user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link an invited officer follows to choose a password (single use)."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:set_password_done")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/set_password_done.html"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in users keep it for their next sessions."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def no_role(request: HttpRequest) -> HttpResponse:
    """Signed in, but no role assigned yet: say so instead of showing an empty page."""
    return render(request, "accounts/no_role.html", status=403)


@rule_required("institution.own")
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's page for their institution's API clients: issue a token (the key is
    shown once, in this response only) and see which tokens exist."""
    form = ApiTokenIssueForm(request.POST or None, actor=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_issue(
                actor=request.user,
                user=form.cleaned_data["holder"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            issued = {"token": token, "key": key}
            form = ApiTokenIssueForm(actor=request.user)
    context = {
        "form": form,
        "issued": issued,
        "tokens": api_token_list(user=request.user).order_by("-created_at"),
    }
    response = render(request, "accounts/api_tokens.html", context)
    # The key is in this page only: never cached, never in a message cookie.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@rule_required("institution.own")
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the institution's client tokens; another institution's is 404."""
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    try:
        api_token_revoke(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(
            request, _("Token %(prefix)s… revoked: it no longer works.") % {"prefix": token.prefix}
        )
    return redirect("accounts:api_tokens")
