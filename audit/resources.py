"""File imports through django-import-export (the admin's import pages), audited inside the
import's own transaction: a rolled-back import leaves no row, a committed one always does."""

from __future__ import annotations

from typing import Any

from audit.models import AuditAction
from audit.services import audit_record


class AuditedResourceMixin:
    """Records the import of a ``ModelResource``: which model, how many rows of each kind."""

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)  # type: ignore[misc]
        if kwargs.get("dry_run"):
            return  # the preview: its transaction is rolled back, nothing was imported
        totals = {str(key): value for key, value in result.totals.items() if value}
        audit_record(
            request_or_actor=kwargs.get("user"),
            action=AuditAction.IMPORT,
            object_type=self._meta.model._meta.label_lower,  # type: ignore[attr-defined]
            record_count=sum(totals.values()),
            extra={"totals": totals},
        )
