"""Models of stage 1: lists, their rows, conflicts, amendments, imports and list sizes."""

from respondents.models.imports import ImportJob, ImportMode, ImportSource, ImportState
from respondents.models.lists import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
    RespondentNameKey,
    SignedListScan,
)
from respondents.models.sizes import ListSize

__all__ = [
    "Amendment",
    "DuplicateIinConflict",
    "ImportJob",
    "ImportMode",
    "ImportSource",
    "ImportState",
    "ListSize",
    "ListTransition",
    "Respondent",
    "RespondentList",
    "RespondentNameKey",
    "SignedListScan",
]
