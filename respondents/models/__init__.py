"""Models of stage 1 (lists) and, in their own modules, of later stages."""

from respondents.models.imports import ImportJob, ImportMode, ImportSource, ImportState
from respondents.models.lists import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
)

__all__ = [
    "Amendment",
    "DuplicateIinConflict",
    "ImportJob",
    "ImportMode",
    "ImportSource",
    "ImportState",
    "ListTransition",
    "Respondent",
    "RespondentList",
]
