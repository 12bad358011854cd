"""Writing the audit trail.

A write is audited by the service that makes it, inside its transaction, with
``audit_record(request_or_actor=actor, ...)``: the event commits or rolls back with the
change, whichever entry point called the service. The request being served (address,
browser, route, token) comes from ``audit.context``. Reads, searches, exports and prints
are recorded at the entry point through ``audit.entry``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from accounts.types import Actor
from audit.context import audit_request, audit_token_prefix
from audit.masking import mask_personal_numbers
from audit.models import AuditAction, AuditEvent

# Paging and ordering say nothing about what was looked for.
NOT_A_FILTER = frozenset({"page", "page_size", "o", "p", "ordering", "sort", "format", "all"})
# A filter of this app is named like a Python identifier. Any other query key (a NUL byte,
# which PostgreSQL cannot store in JSON, a long string, a number someone typed) is not one
# of ours, and is not kept.
_FILTER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_numbers(value)[:200]
    if isinstance(value, Mapping):
        return {str(key): _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _scrub(str(value))


def institution_id_of(obj: Any) -> int | None:
    """The institution a record belongs to, for the common shapes of our models."""
    if obj is None:
        return None
    if obj._meta.label_lower == "institutions.institution":
        return obj.pk
    institution_id = getattr(obj, "institution_id", None)
    # Records that belong to an institution through their parent: a staff member's
    # attendance, a person on a list, a return under an act.
    for parent in ("staff", "respondent_list", "act"):
        if institution_id is None and hasattr(obj, f"{parent}_id"):
            institution_id = getattr(getattr(obj, parent, None), "institution_id", None)
    return institution_id


def _request_parts(request: HttpRequest) -> dict[str, Any]:
    from axes.helpers import get_client_ip_address

    match = getattr(request, "resolver_match", None)
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    return {
        "ip_address": get_client_ip_address(request) or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "route": (match.view_name if match else "")[:200],
        "via_token": authorization.lower().startswith("token "),
    }


# One INSERT, so no transaction (or savepoint) of its own: called by a service, it is part
# of the service's transaction, and a failure rolls back the change it records.
def audit_record(
    *,
    request_or_actor: HttpRequest | Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    record_count: int | None = None,
    institution: Any = None,
    username: str = "",
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``request_or_actor`` is the acting user (a service's ``actor``)
    or a request; an event recorded while a request is served takes its address, browser
    and route from it (``audit.context``), a task's or command's has none.

    ``extra`` must not carry personal data; 12-digit numbers in it are masked anyway.
    """
    if isinstance(request_or_actor, HttpRequest) or hasattr(request_or_actor, "META"):
        request = request_or_actor
        user = getattr(request, "user", None)
        parts = _request_parts(request)
    else:
        served = audit_request()
        user, parts = request_or_actor, _request_parts(served) if served is not None else {}
    actor = user if getattr(user, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if institution is None:
            institution = institution_id_of(obj)
    institution_id = getattr(institution, "pk", institution)
    token_prefix = audit_token_prefix()
    if token_prefix:
        parts["via_token"] = True
    return AuditEvent.objects.create(
        actor=actor,
        username=(username or getattr(actor, "username", ""))[:150],
        action=action,
        object_type=object_type[:100],
        object_id=mask_personal_numbers(str(object_id))[:64],
        record_count=record_count,
        institution_id=institution_id,
        extra=_scrub(dict(extra or {})),
        token_prefix=token_prefix,
        **parts,
    )


def filter_names(params: Mapping[str, Any] | Iterable[str]) -> list[str]:
    """The names of the filters a search used; their values (maybe an IIN) are not kept."""
    if isinstance(params, Mapping):
        names = [key for key, value in params.items() if value not in (None, "", [], ())]
    else:
        names = list(params)
    return sorted(
        {
            name
            for name in names
            if isinstance(name, str) and _FILTER_NAME.fullmatch(name) and name not in NOT_A_FILTER
        }
    )


@transaction.atomic
def object_save(*, actor: Actor, obj: models.Model, change: bool) -> None:
    """Save a record edited in the admin and audit it (``create`` or ``change``) at once."""
    obj.save()
    audit_record(
        request_or_actor=actor, action=AuditAction.CHANGE if change else AuditAction.CREATE, obj=obj
    )


@transaction.atomic
def objects_delete(*, actor: Actor, objects: Iterable[models.Model]) -> None:
    """Delete records in the admin, each audited (named while it still has its id)."""
    for obj in objects:
        audit_record(request_or_actor=actor, action=AuditAction.DELETE, obj=obj)
        obj.delete()
