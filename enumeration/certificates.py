"""PDF of a participation certificate (анықтама / справка), in Kazakh or Russian.

Rendered by the shared ``census_coord.pdf`` helper (WeasyPrint with the DejaVu fonts
shipped under ``static/fonts``), so it looks the same on every server and needs no internet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from census_coord.documents import department_details, person_name
from census_coord.pdf import render_pdf
from enumeration.models import Certificate

CERTIFICATE_LANGUAGES = ("kk", "ru")


def certificate_pdf(*, certificate: Certificate, language: str, duplicate: bool) -> bytes:
    if language not in CERTIFICATE_LANGUAGES:
        language = CERTIFICATE_LANGUAGES[0]
    respondent = certificate.respondent
    # No institution in the context: its name or type must never reach the paper.
    return render_pdf(
        template_name="enumeration/certificate_pdf.html",
        context={
            "certificate": certificate,
            "respondent": respondent,
            "department": department_details(language),
            "signatory": person_name(certificate.issued_by),
            "signatory_position": certificate.issued_by.position_in(language),
            "campaign": certificate.campaign,
            "duplicate": duplicate,
            "language": language,
        },
        language=language,
    )


def certificates_pdf(
    *, certificates: Sequence[Certificate], language: str, duplicates: Mapping[int, bool]
) -> bytes:
    """One PDF of many certificates, one a page, each as ``certificate_pdf`` draws it
    (``duplicates``: certificate id -> whether this printing is a duplicate)."""
    if language not in CERTIFICATE_LANGUAGES:
        language = CERTIFICATE_LANGUAGES[0]
    return render_pdf(
        template_name="enumeration/certificates_pdf.html",
        context={
            "certificates": [
                {
                    "certificate": certificate,
                    "signatory": person_name(certificate.issued_by),
                    "signatory_position": certificate.issued_by.position_in(language),
                    "duplicate": duplicates.get(certificate.pk, False),
                }
                for certificate in certificates
            ],
            "department": department_details(language),
            "language": language,
        },
        language=language,
    )
