"""The one DRF router every app registers its API routes on.

Database ids are integers: a route's id accepts digits only, so ``/import-jobs/abc/``
does not resolve (404) instead of reaching a query that fails on the text (500).
"""

from __future__ import annotations

from typing import Any

from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """``SimpleRouter`` whose lookups match digits unless a viewset says otherwise."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        own_regex = getattr(viewset, "lookup_value_regex", None) is not None
        if own_regex or lookup_field not in ("pk", "id"):
            return super().get_lookup_regex(viewset, lookup_prefix)
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        return f"(?P<{lookup_prefix}{kwarg}>[0-9]+)"
