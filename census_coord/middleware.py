"""Cross-cutting request handling: client address, session timeouts, no-store, the CSP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
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


# A response's own policy (django-csp's decorators) and a nonce change the header.
_CSP_OWN = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_CSP_HEADERS: dict[bool, str] = {}


def _forget_csp(**kwargs: Any) -> None:
    _CSP_HEADERS.clear()


setting_changed.connect(_forget_csp, dispatch_uid="census_coord.middleware.csp")


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware; the headers of a response that changes nothing of the
    policy (no decorator of django-csp, no nonce asked: every response of this project)
    built once per process from the settings, where the library built the same string
    on every response (``/healthz`` too). Any other response goes through the library."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_OWN)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for report_only, header, setting in (
            (False, HEADER, "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _CSP_HEADERS.get(report_only)
            if policy is None:
                policy = _CSP_HEADERS[report_only] = build_policy(report_only=report_only)
            if not policy or header in response:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if not request.path_info.startswith(tuple(prefixes or ())):
                response[header] = policy
        # As the library: a nonce asked after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
