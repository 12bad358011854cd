"""What the audit trail knows about the request being served, beyond its user.

Token authentication binds the token's prefix here, so every event recorded while that
request is served names the token, whichever layer records it (a viewset, a service
called with the actor only, the refusal middleware). ``AuditMiddleware`` opens and closes
the scope around each request, so a prefix never leaks into the next request of a thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_api_token_prefix: ContextVar[str] = ContextVar("audit_api_token_prefix", default="")


def audit_token_bind(prefix: str) -> None:
    """The current request is authenticated by the API token with this prefix."""
    _api_token_prefix.set(prefix)


def audit_token_prefix() -> str:
    return _api_token_prefix.get()


@contextmanager
def audit_request_scope() -> Iterator[None]:
    """Start every request with no token bound, and forget the token after it."""
    reset = _api_token_prefix.set("")
    try:
        yield
    finally:
        _api_token_prefix.reset(reset)
