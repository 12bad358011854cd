"""Render a Django template to PDF bytes with WeasyPrint and the fonts shipped in the repo.

Acts and certificates must show Kazakh letters (ә ғ қ ң ө ұ ү һ і) on any machine, so the
fonts come from ``static/fonts/`` through ``@font-face`` rather than from the system;
templates use ``font-family: "DocSans"``. WeasyPrint needs Pango at runtime (see Dockerfile).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

# fontTools and WeasyPrint log every subsetting and layout step at INFO; none is worth a line.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = settings.BASE_DIR / "static" / "fonts"

FONT_FACES_CSS = f"""
@font-face {{ font-family: "DocSans"; font-weight: normal;
  src: url("{(FONT_DIR / "DejaVuSans.ttf").as_uri()}"); }}
@font-face {{ font-family: "DocSans"; font-weight: bold;
  src: url("{(FONT_DIR / "DejaVuSans-Bold.ttf").as_uri()}"); }}
"""


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return f'"{escaped}"'


def page_of_pages_css() -> str:
    """A CSS ``content`` value that numbers pages "Page N of M" in the active language;
    the words come from the catalogue, so each language puts the numbers where it needs."""
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts = re.split(r"(%\((?:page|pages)\)s)", gettext("Page %(page)s of %(pages)s"))
    return " ".join(counters.get(part) or _css_string(part) for part in parts if part)


def render_pdf(
    *, template_name: str, context: dict[str, Any], language: str | None = None
) -> bytes:
    """The template rendered in ``language`` (the active one when None) as PDF bytes.

    Templates get ``page_of_pages``: the CSS ``content`` of a "Page N of M" margin box."""
    # Imported here: WeasyPrint loads Pango when imported, which pages without PDFs never need.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, {"page_of_pages": page_of_pages_css(), **context})
    fonts = FontConfiguration()
    stylesheet = CSS(string=FONT_FACES_CSS, font_config=fonts)
    # base_url limits relative references to the shipped static files; no network access.
    document = HTML(string=html, base_url=str(FONT_DIR))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def pdf_response(
    *,
    template_name: str,
    context: dict[str, Any],
    filename: str,
    language: str | None = None,
) -> HttpResponse:
    """A PDF download that is never cached by proxies (documents name people)."""
    content = render_pdf(template_name=template_name, context=context, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
