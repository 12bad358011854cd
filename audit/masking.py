"""Masking of IIN-shaped numbers; free of Django imports so logging can load it early."""

from __future__ import annotations

import logging
import re

IIN_LIKE = re.compile(r"(?<!\d)\d{12}(?!\d)")
MASK = "************"


def mask_personal_numbers(text: str) -> str:
    """Replace anything shaped like an IIN or BIN (12 digits) with asterisks."""
    return IIN_LIKE.sub(MASK, text)


class MaskPersonalNumbersFilter(logging.Filter):
    """Masks 12-digit numbers in the rendered message; attached to every log handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
