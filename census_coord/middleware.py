"""Cross-cutting request handling: client address, session timeouts, no-store."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

SESSION_STARTED = "_census_session_started"
SESSION_SEEN = "_census_session_seen"
# Writing the session on every request costs a database write each time; a minute's
# precision is plenty for a 30-minute idle timeout.
SEEN_PRECISION = 60


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies it is the entry those
    proxies appended to X-Forwarded-For; anything further left is client-controlled."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


class SessionTimeoutMiddleware:
    """Ends a signed-in session after ``SESSION_IDLE_TIMEOUT`` seconds without a request,
    or ``SESSION_ABSOLUTE_TIMEOUT`` seconds after sign-in, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None:
                request.session[SESSION_STARTED] = started = now
            if seen is None:
                seen = now
            idle = now - seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or too_old:
                # logout() flushes the session and sends user_logged_out (audited).
                request.session_timeout = "idle" if idle else "absolute"  # type: ignore[attr-defined]
                logout(request)
            elif now - seen >= SEEN_PRECISION or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in users may show personal data: browsers and proxies keep none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated or request.META.get("HTTP_AUTHORIZATION"):
            patch_cache_control(response, no_store=True, private=True)
        return response
