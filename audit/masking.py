"""Masking of personal data in logs; free of Django imports so logging can load it early.

Two things never reach a log line: a 12-digit number (an IIN or BIN) and the query string
of a URL (a search term, maybe a name). Every record is cleaned where it is made
(``logging_configure`` installs a record factory), so no logger, handler or capture sees
the raw text; the filter and formatter below also guard handlers configured elsewhere.
"""

from __future__ import annotations

import logging
import logging.config
import re
from typing import Any

IIN_LIKE = re.compile(r"(?<!\d)\d{12}(?!\d)")
MASK = "************"
# A path followed by a query string: "/admin/respondents/respondent/?q=Ivanov".
QUERY_STRING = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]*")


def mask_personal_numbers(text: str) -> str:
    """Replace anything shaped like an IIN or BIN (12 digits) with asterisks."""
    return IIN_LIKE.sub(MASK, text)


def mask_personal_data(text: str) -> str:
    """12-digit numbers masked and the query strings of URLs dropped."""
    return mask_personal_numbers(QUERY_STRING.sub(r"\1", text))


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:
        message = str(record.msg)
    # The arguments go too: gunicorn's, for one, hold every request atom (query string,
    # referrer) though its format shows a few; the rendered message is all that is kept.
    record.msg, record.args = mask_personal_data(message), None


class MaskPersonalNumbersFilter(logging.Filter):
    """Masks 12-digit numbers and drops query strings in the rendered message; attached to
    every handler and to Django's request and server loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole line, tracebacks included (a database error may quote an IIN)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


_base_factory = logging.getLogRecordFactory()


def _masking_record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    _mask_record(record)
    return record


def install_record_masking() -> None:
    """Clean every record when it is made, whichever logger makes it (gunicorn's too)."""
    if logging.getLogRecordFactory() is not _masking_record_factory:
        logging.setLogRecordFactory(_masking_record_factory)


def logging_configure(config: dict[str, Any]) -> None:
    """``LOGGING_CONFIG``: Django's dictConfig, then the record masking."""
    logging.config.dictConfig(config)
    install_record_masking()
