"""Types shared by every app that the stubs do not name at runtime."""

from __future__ import annotations

from typing import TypeAlias

from django.utils.functional import Promise

# A text that may still be lazy (gettext_lazy): what choices' labels and messages hold.
StrOrPromise: TypeAlias = str | Promise
