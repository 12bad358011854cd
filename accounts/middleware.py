"""Activate the signed-in user's remembered language; sessions of Django's backend."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.backends import REPLACED_BACKENDS

USER_BACKEND = "accounts.backends.UserBackend"


class SessionBackendMiddleware:
    """Before authentication: a session signed in through Django's ``ModelBackend`` names
    ``accounts.backends.UserBackend`` (which loads the user the same way), so that nobody
    was signed out when the setting changed. Can go once every session is younger than
    the change (``SESSION_ABSOLUTE_TIMEOUT``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(BACKEND_SESSION_KEY) in REPLACED_BACKENDS:
            session[BACKEND_SESSION_KEY] = USER_BACKEND
        return self.get_response(request)


class UserLanguageMiddleware:
    """After authentication: a user's saved language wins over cookie and browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
