"""Stored files served back: found through the actor's scope, audited, never cached.

Apart from ``census_coord.uploads`` because it writes the audit trail: ``audit`` builds on the
low helpers of ``census_coord`` (the clock), so they must not import it back.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.scoping import scope_queryset
from audit.entry import record_read
from census_coord.uploads import CONTENT_TYPES, JPEG


def protected_file_response(
    *,
    request: HttpRequest,
    queryset: QuerySet[Model],
    pk: Any,
    file_field: str,
    institution_path: str = "institution",
    download_name: str | None = None,
) -> FileResponse:
    """Serve the file of the record ``pk``, found only within the actor's scope.

    The download is audited; a record outside the scope or without a file is a 404.
    """
    record = get_object_or_404(
        scope_queryset(queryset, user=request.user, institution_path=institution_path), pk=pk
    )
    stored = getattr(record, file_field)
    if not stored or not stored.storage.exists(stored.name):
        raise Http404
    kind = stored.name.rsplit(".", 1)[-1].lower()
    kind = {"jpg": JPEG}.get(kind, kind)
    record_read(request, obj=record, extra={"file": file_field})
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=download_name or posixpath.basename(stored.name),
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
