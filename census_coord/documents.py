"""What official papers (acts, certificates) print about their issuer, in their language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from accounts.types import Actor

# Official papers are printed in Kazakh or Russian (the state and the official language).
PAPER_LANGUAGES = ("kk", "ru")


def department_details(language: str) -> dict[str, str]:
    """The Department's full name, address and place of issue in ``language`` (kk or ru);
    the Kazakh text when the language is not configured."""
    details: dict[str, dict[str, str]] = settings.DEPARTMENT_DETAILS
    return details.get(language) or details["kk"]


def person_name(user: Actor) -> str:
    return user.get_full_name() or user.username


def paper_language(requested: str = "") -> str:
    """The language a paper is printed in: the one asked for, else the reader's own when it is
    Kazakh or Russian, else Kazakh."""
    for language in (requested, translation.get_language() or ""):
        if language in PAPER_LANGUAGES:
            return language
    return PAPER_LANGUAGES[0]
