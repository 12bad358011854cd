"""PDF of a participation certificate (анықтама / справка), in Kazakh or Russian.

Rendered by the shared ``census_coord.pdf`` helper (WeasyPrint with the DejaVu fonts
shipped under ``static/fonts``), so it looks the same on every server and needs no internet.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from django.http import HttpRequest, HttpResponse

from audit.entry import record_read
from audit.models import AuditAction
from census_coord.documents import department_details, person_name
from census_coord.pdf import render_pdf
from enumeration import services
from enumeration.models import Certificate

logger = logging.getLogger(__name__)

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


def certificate_print_response(
    request: HttpRequest, *, certificate: Certificate, language: str
) -> HttpResponse:
    """One printing of a certificate, for the page and the API alike: recorded by the
    service (a reprint says "duplicate" on the paper), audited as a print, and answered as
    a PDF download that no cache keeps."""
    printing = services.certificate_print(
        actor=request.user,  # type: ignore[arg-type]  # the caller's rule signed them in
        certificate=certificate,
        language=language,
    )
    pdf = certificate_pdf(
        certificate=certificate, language=language, duplicate=printing.is_duplicate
    )
    record_read(
        request,
        AuditAction.PRINT,
        obj=certificate,
        institution=certificate.respondent.respondent_list.institution_id,
        extra={"language": language, "duplicate": printing.is_duplicate},
    )
    logger.info(
        "certificate printed",
        extra={"user_id": request.user.pk, "certificate_id": certificate.pk},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.display_number}-{language}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
