"""How an HTML page reads its FilterSet (the app's ``filters.py``), the same on every page.

On a page an unknown value (an old bookmark, a hand-edited link) is ignored: the list
shows everyone rather than an error. The API answers 400 naming the parameter instead
(DRF's ``DjangoFilterBackend``, the default filter backend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from census_coord.widgets import PlainSelect


def page_rows(filterset: django_filters.FilterSet) -> tuple[QuerySet[Any], dict[str, Any]]:
    """The page's rows and the filter values that narrowed them: with a value unknown, or
    nothing asked for, the rows as if no filter was given (a FilterSet's own default, such
    as the open conflicts only, still holds) and no values."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs, dict(filterset.form.cleaned_data)
    filterset.form.cleaned_data = {}  # no filter, not the valid part of a broken link
    return filterset.filter_queryset(filterset.queryset.all()), {}


def filter_query(
    request: HttpRequest, filterset_class: type[django_filters.FilterSet], *, page: bool = False
) -> str:
    """The query string's filters of ``filterset_class`` (and the page number, if asked),
    for redirects and page links. Anything else someone put there (``?q=<a name>``) is
    dropped, so that it is not carried on into URLs."""
    keep = set(filterset_class.base_filters) | ({"page"} if page else set())
    params = request.GET.copy()
    for name in list(params):
        if name not in keep:
            del params[name]
    return params.urlencode()


class _ListedChoices(ModelChoiceIterator):
    """A select's choices read in one query: Django iterates a model choice field's queryset
    with ``iterator()``, which on PostgreSQL is a server-side cursor (DECLARE, FETCH, CLOSE:
    three round trips for a few dozen districts)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = getattr(self.field, LISTED, None)
        for obj in self.queryset.all() if listed is None else listed:
            yield self.choice(obj)


LISTED = "listed_choices"


def read_choices(field: forms.Field, *related: str) -> list[Any]:
    """The objects that ``field`` (a ``ReferenceChoiceFilter``'s or a
    ``ListedModelChoiceField``, of a bound form) offers, read now: its select shows these
    and does not read them again, so that a page which needs the same objects (the rows'
    districts and types) reads them once. ``related`` are joined (``select_related``)."""
    objects = list(field.queryset.select_related(*related))  # type: ignore[attr-defined]  # a model choice field
    setattr(field, LISTED, objects)
    return objects


class _ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedChoices


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` over a short reference table (districts, institution types):
    its select is read in one query and formatted without a template per option."""

    field_class = _ListedModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PlainSelect)
        super().__init__(*args, **kwargs)


class _UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC before it reaches the database: PostgreSQL
    refuses an offset beyond ±15:59 (``2021-10-01T10:00-21:27`` parses in Python), which
    was a server error instead of a 400 naming the parameter."""

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError as exc:  # a moment within hours of year 1 or 9999
            raise ValidationError(
                _("Enter a date and time between the years 1 and 9999."), code="invalid"
            ) from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """``IsoDateTimeFilter`` whose value is a UTC moment (see ``_UtcIsoDateTimeField``)."""

    field_class = _UtcIsoDateTimeField


class ListedModelChoiceField(forms.ModelChoiceField):
    """A form's ``ModelChoiceField`` over a short list (an institution's staff): its choices
    read in one query (``_ListedChoices``) and its select formatted without a template per
    option (``PlainSelect``)."""

    iterator = _ListedChoices
    widget = PlainSelect
