"""Models of stage 1 (lists) and, in their own modules, of later stages."""

from respondents.models.enumeration import (
    Certificate,
    CertificateCounter,
    CertificatePrint,
    Enumeration,
    EnumerationChange,
)
from respondents.models.imports import ImportJob, ImportMode, ImportSource, ImportState
from respondents.models.lists import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
    SignedListScan,
)
from respondents.models.progress import DailyProgress, ListProgress, ListSize

__all__ = [
    "Amendment",
    "Certificate",
    "CertificateCounter",
    "CertificatePrint",
    "DailyProgress",
    "DuplicateIinConflict",
    "Enumeration",
    "EnumerationChange",
    "ImportJob",
    "ImportMode",
    "ImportSource",
    "ImportState",
    "ListProgress",
    "ListSize",
    "ListTransition",
    "Respondent",
    "RespondentList",
    "SignedListScan",
]
