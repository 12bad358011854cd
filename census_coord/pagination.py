"""One way to page a long table on an HTML page (``templates/_partials/pagination.html``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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


class CountedApiPagination(PageNumberPagination):
    """The API's page-number pagination (``PAGE_SIZE`` a page, ``?page=``) told how many
    items there are, like ``CountedPaginator``: a page of people behind a counter reads
    that page of rows, never a count over all of them."""

    def __init__(self, *, count: int) -> None:
        self.known_count = count

    def django_paginator_class(self, object_list: Any, per_page: int) -> Paginator:  # type: ignore[override]  # DRF calls the class attribute with these two
        return CountedPaginator(object_list, per_page, count=self.known_count)
