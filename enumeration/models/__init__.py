"""Models of stage 2: outcomes, certificates and the progress counters.

They moved here from ``respondents`` and kept their tables (``Meta.db_table``).
"""

from enumeration.models.enumeration import (
    Certificate,
    CertificateCounter,
    CertificatePrint,
    Enumeration,
    EnumerationChange,
)
from enumeration.models.progress import DailyProgress, ListProgress

__all__ = [
    "Certificate",
    "CertificateCounter",
    "CertificatePrint",
    "DailyProgress",
    "Enumeration",
    "EnumerationChange",
    "ListProgress",
]
