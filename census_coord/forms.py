"""Helpers shared by the apps' forms."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from census_coord.errors import service_error_items


def form_add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on the form: on its field when the form has that
    field, above the form otherwise; each message once per place (a batch repeats it per row).

    ``fields`` renames a service's field to the form's (``staff_id`` is chosen as ``staff``).
    """
    seen: set[tuple[str | None, str]] = set()
    for item in service_error_items(error):
        field = (fields or {}).get(item.field or "", item.field)
        field = field if field in form.fields else None
        if (field, item.message) in seen:
            continue
        seen.add((field, item.message))
        form.add_error(field, ValidationError(item.message, code=item.code))
