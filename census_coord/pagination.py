"""One way to page a long table on an HTML page (``templates/_partials/pagination.html``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 50


def paginate(
    request: HttpRequest,
    items: Sequence[Any] | QuerySet[Any],
    *,
    per_page: int = PAGE_SIZE,
    count: int | None = None,
) -> tuple[Page, str]:
    """The requested page of ``items`` (an out-of-range number gives the last page) and the
    query string without ``page``, for the partial's links to keep the filters. ``count``,
    when the caller knows it already, saves counting ``items`` again."""
    paginator = (
        Paginator(items, per_page)
        if count is None
        else CountedPaginator(items, per_page, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


class CountedPaginator(Paginator):
    """A paginator told how many items there are, when the page already knows it (from a
    counter, or a count it shows anyway), so that it does not count them again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


_TOTAL = "page_rows_total"


def page_with_count(rows: QuerySet[Any], number: Any, *, per_page: int = PAGE_SIZE) -> Page:
    """``Paginator(rows, per_page).get_page(number)`` in one query instead of two: the
    page's rows read with the number of all of them (``COUNT(*) OVER ()``), not counted
    first. The page's rows are read here. Only when the page asked for is empty (a number
    past the last page, or below 1) are the rows counted as ``get_page`` does and its page
    given (the last one)."""
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1  # as get_page: not a number, the first page
    if wanted >= 1:
        bottom = (wanted - 1) * per_page
        shown = list(rows.annotate(**{_TOTAL: Window(Count("pk"))})[bottom : bottom + per_page])
        if shown or wanted == 1:
            count = getattr(shown[0], _TOTAL) if shown else 0
            return Page(shown, wanted, CountedPaginator(rows, per_page, count=count))
    return Paginator(rows, per_page).get_page(number)


class CountedApiPagination(PageNumberPagination):
    """The API's page-number pagination (``PAGE_SIZE`` a page, ``?page=``) told how many
    items there are, like ``CountedPaginator``: a page of people behind a counter reads
    that page of rows, never a count over all of them."""

    def __init__(self, *, count: int) -> None:
        self.known_count = count

    def django_paginator_class(self, object_list: Any, per_page: int) -> Paginator:  # type: ignore[override]  # DRF calls the class attribute with these two
        return CountedPaginator(object_list, per_page, count=self.known_count)
