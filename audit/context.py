"""What the audit trail knows about the request being served, beyond its user.

``AuditMiddleware`` binds the request being served here, and token authentication the
token's prefix, so every event recorded while that request is served names the address,
browser, route and token, whichever layer records it: a service called with the actor
only (every write), an entry point's read, the refusal middleware. The middleware opens
and closes the scope around each request, so nothing leaks into the next request of a
thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

_api_token_prefix: ContextVar[str] = ContextVar("audit_api_token_prefix", default="")
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def audit_token_bind(prefix: str) -> None:
    """The current request is authenticated by the API token with this prefix."""
    _api_token_prefix.set(prefix)


def audit_token_prefix() -> str:
    return _api_token_prefix.get()


def audit_request() -> HttpRequest | None:
    """The request being served, if any (none in a task, a command or a plain test)."""
    return _request.get()


@contextmanager
def audit_request_scope(request: HttpRequest | None = None) -> Iterator[None]:
    """Serve ``request`` with no token bound yet, and forget both after it."""
    reset_token = _api_token_prefix.set("")
    reset_request = _request.set(request)
    try:
        yield
    finally:
        _request.reset(reset_request)
        _api_token_prefix.reset(reset_token)
