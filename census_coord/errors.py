"""The one reading of a service's ``ValidationError``, for forms and the API alike.

A service raises Django's ``ValidationError`` either keyed by field (``{"name": [...]}``)
or as a list whose items may name their ``row`` and ``field`` in ``params`` (a batch, see
``enumeration.services``). Forms (``census_coord.forms``) and API bodies
(``census_coord.api``) both show these items; this module is the only one that walks them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class ErrorItem:
    """One message of a service error: where it belongs (field, row) and why (code)."""

    field: str | None
    row: int | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def service_error_items(error: ValidationError) -> list[ErrorItem]:
    """A service's ``ValidationError`` as items, each with its field, row, code and message.

    Errors keyed by field keep their field; a batch's errors carry their ``row`` and
    ``field`` in ``params``.
    """
    if hasattr(error, "error_dict"):
        return [
            ErrorItem(field=field, row=None, code=item.code or "invalid", message=message)
            for field, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    items = []
    for item in error.error_list:
        params = item.params or {}
        message = item.message % params if params and "%(" in str(item.message) else item.message
        items.append(
            ErrorItem(
                field=params.get("field"),
                row=params.get("row"),
                code=item.code or "invalid",
                message=str(message),
            )
        )
    return items


def service_error_messages(error: ValidationError) -> list[str]:
    """The messages of a service's ``ValidationError``, in order (a page's list of reasons)."""
    return [item.message for item in service_error_items(error)]


def service_error_message(error: ValidationError, *, sep: str = " ") -> str:
    """A service's ``ValidationError`` as one line: a flash message, an admin notice, a
    command's error."""
    return sep.join(service_error_messages(error))
