"""PDF of a participation certificate (анықтама / справка), in Kazakh or Russian.

WeasyPrint renders an HTML template with DejaVu Sans shipped under ``static/fonts`` (it
covers every Kazakh letter), so the PDF looks the same on every server and needs no
internet.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from respondents.models import Certificate

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
CERTIFICATE_LANGUAGES = ("kk", "ru")


def certificate_pdf(*, certificate: Certificate, language: str, duplicate: bool) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    if language not in CERTIFICATE_LANGUAGES:
        language = CERTIFICATE_LANGUAGES[0]
    respondent = certificate.respondent
    with translation.override(language):
        html = render_to_string(
            "respondents/stage2/certificate_pdf.html",
            {
                "certificate": certificate,
                "respondent": respondent,
                "institution": respondent.respondent_list.institution,
                "campaign": certificate.campaign,
                "duplicate": duplicate,
                "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
                "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
                "language": language,
            },
        )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
