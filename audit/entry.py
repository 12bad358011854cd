"""Reads at the entry point: the one way a page, an API view or the admin records what a
person was shown — a record, a list, a search, an export, a print.

A write is never recorded here: the service that makes it audits it inside its own
transaction (``audit.services.audit_record``), so no entry point can forget it or record
it twice. ``record_read`` refuses a write's action, and ``tests/core/test_audit_in_services.py``
fails when a view, API, admin or task module calls the write-audit function itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record, filter_names

READ_ACTIONS = frozenset(
    {AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT, AuditAction.PRINT}
)


def record_read(
    request: HttpRequest | Any,
    action: AuditAction = AuditAction.VIEW,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    record_count: int | None = None,
    institution: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``request``'s user was shown ``obj`` (or ``record_count`` records of
    ``object_type``): a view, a search, an export or a print."""
    if action not in READ_ACTIONS:
        raise ValueError(f"{action!r} is a write: the service that makes it audits it")
    return audit_record(
        request_or_actor=request,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        record_count=record_count,
        institution=institution,
        extra=extra,
    )


def record_search(
    *,
    request: HttpRequest | Any,
    params: Mapping[str, Any],
    object_type: str,
    record_count: int | None = None,
    institution: Any = None,
) -> AuditEvent:
    """A search or filtered list: which filters were used and how many records came back."""
    return record_read(
        request,
        AuditAction.SEARCH,
        object_type=object_type,
        record_count=record_count,
        institution=institution,
        extra={"filters": filter_names(params)},
    )


def record_list(
    *,
    request: HttpRequest | Any,
    params: Mapping[str, Any],
    object_type: str,
    record_count: int | None = None,
    institution: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """A list page: a search when a filter was used, otherwise a view of the list."""
    if filter_names(params):
        return record_search(
            request=request,
            params=params,
            object_type=object_type,
            record_count=record_count,
            institution=institution,
        )
    return record_read(
        request,
        object_type=object_type,
        record_count=record_count,
        institution=institution,
        extra=extra,
    )
