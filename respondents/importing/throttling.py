"""How often files may be uploaded for import: per uploader and per list.

DRF's throttles serve the REST upload (``throttle_classes``) and, through
``upload_throttle_check``, the upload page, so both count against the same limits in the
same cache. The rates are settings (``IMPORT_UPLOAD_RATE_PER_USER`` / ``_PER_LIST``).
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

THROTTLED_CODE = "upload_throttled"
BUSY_CODE = "import_in_progress"


class _SettingsRateThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self) -> str:
        # Read at each request (not once at import, as DRF does), so tests can change it.
        return str(getattr(settings, self.setting))


class UploadPerUserThrottle(_SettingsRateThrottle):
    """Uploads by one user (or API client), whatever the list."""

    scope = "import_upload_user"
    setting = "IMPORT_UPLOAD_RATE_PER_USER"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class UploadPerListThrottle(_SettingsRateThrottle):
    """Uploads to one list, whoever sends them."""

    scope = "import_upload_list"
    setting = "IMPORT_UPLOAD_RATE_PER_LIST"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        list_id = view.kwargs.get("pk")
        if list_id is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": list_id}


UPLOAD_THROTTLES = (UploadPerUserThrottle, UploadPerListThrottle)


def upload_wait_message(wait: float | None) -> str:
    minutes = max(1, math.ceil((wait or 60) / 60))
    return ngettext(
        "Too many uploads: try again in %(minutes)d minute.",
        "Too many uploads: try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def import_busy_message() -> str:
    return _(
        "An import of this list is already queued or running: wait until it finishes, "
        "then upload the next file."
    )


class UploadThrottled(exceptions.Throttled):
    """429 in the API's error shape, with a translated message and ``Retry-After``."""

    def __init__(self, *, wait: float | None, message: str, code: str) -> None:
        super().__init__(wait=None, detail=message, code=code)
        self.wait = math.ceil(wait) if wait else None


def upload_throttle_check(request: HttpRequest | Any, *, respondent_list_id: int) -> float | None:
    """Count an upload against the limits; the seconds to wait when over one, else None."""
    view = SimpleNamespace(kwargs={"pk": respondent_list_id})
    waits = []
    for throttle_class in UPLOAD_THROTTLES:
        throttle = throttle_class()
        if not throttle.allow_request(request, view):  # type: ignore[arg-type]  # throttles read kwargs and user only
            waits.append(throttle.wait() or 0)
    return max(waits) if waits else None
