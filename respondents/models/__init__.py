"""Models of stage 1: lists, their rows, conflicts, amendments, imports, list sizes and
the papers rendered in the background."""

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
from respondents.models.papers import ListPaperJob, PaperState
from respondents.models.sizes import ListSize

__all__ = [
    "Amendment",
    "DuplicateIinConflict",
    "ImportJob",
    "ImportMode",
    "ImportSource",
    "ImportState",
    "ListPaperJob",
    "ListSize",
    "ListTransition",
    "PaperState",
    "Respondent",
    "RespondentList",
    "RespondentNameKey",
    "SignedListScan",
]
