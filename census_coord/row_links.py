"""Links and choice labels of a table's rows, reversed and translated once a page: the row
tags (``list_rows``, ``worklist_rows``, ``readiness_rows``) render fifty rows, and ``reverse``
or ``get_<field>_display`` per row was a measurable part of those pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Field, Model
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


def choice_labels(model: type[Model], field_name: str) -> Callable[[Any], str]:
    """``label(value)``: the escaped display of ``value`` in the choices of ``model``'s
    ``field_name``, as ``get_<field>_display`` shows it (a value not among the choices as
    it is). Each label is translated once, in the active language, when this is called:
    ``get_<field>_display`` builds and translates the field's whole list of choices again
    for every row."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field), field_name  # noqa: S101 - a column with choices, by the caller
    # ``str`` first: ``escape`` of a lazy label is lazy again, translated at every use.
    labels = {value: escape(str(label)) for value, label in field.flatchoices}

    def label(value: Any) -> str:
        shown = labels.get(value)
        return escape(value) if shown is None else shown

    return label
