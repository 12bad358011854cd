"""Sign-in, sign-out and failed sign-ins go to the audit trail."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord.middleware import SESSION_SEEN, SESSION_STARTED


@receiver(user_logged_in, dispatch_uid="audit.login")
def _logged_in(sender: Any, request: Any, user: Actor, **kwargs: Any) -> None:
    if request is None:
        return
    if hasattr(request, "session"):
        # The absolute timeout counts from here.
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = int(time.time())
    audit_record(request_or_actor=_as_user(request, user), action=AuditAction.LOGIN)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _logged_out(sender: Any, request: Any, user: Actor | None, **kwargs: Any) -> None:
    if request is not None and user is not None:
        audit_record(request_or_actor=_as_user(request, user), action=AuditAction.LOGOUT)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    if request is None:
        return
    audit_record(
        request_or_actor=request,
        action=AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username") or ""),
    )


@receiver(user_locked_out, dispatch_uid="audit.locked_out")
def _locked_out(sender: Any, request: Any, username: str | None = None, **kw: Any) -> None:
    if request is None:
        return
    audit_record(
        request_or_actor=request,
        action=AuditAction.LOGIN_FAILED,
        username=username or "",
        extra={"locked_out": True},
    )


class _as_user:
    """The request, but acting as ``user`` (at logout request.user is already anonymous)."""

    def __init__(self, request: Any, user: Actor) -> None:
        self.META = request.META
        self.resolver_match = getattr(request, "resolver_match", None)
        self.user = user
