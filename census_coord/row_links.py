"""Links of a table's rows, reversed once a page: the row tags (``list_rows``,
``worklist_rows``, ``readiness_rows``) render fifty rows, and ``reverse`` per row and action
was a measurable part of those pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.html import escape

# A primary key no row has, put where the row's own goes and then replaced.
_ANY_PK = 987654321


def row_link(name: str, *args: Any) -> Callable[[int], str]:
    """``link(pk)``: the escaped URL of ``name`` with ``args`` and the row's ``pk`` last."""
    pattern = reverse(name, args=[*args, _ANY_PK])
    head, _, tail = pattern.rpartition(str(_ANY_PK))

    def link(pk: int) -> str:
        return escape(f"{head}{int(pk)}{tail}")

    return link
