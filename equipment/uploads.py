"""Checks on the signed scan of an act: type by content, not by name, and size."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Default 10 MB; a phone photo of a two-page act fits easily.
SCAN_MAX_BYTES: int = getattr(settings, "EQUIPMENT_SCAN_MAX_BYTES", 10 * 1024 * 1024)

# Magic numbers of the accepted formats -> (content type, file suffix).
SCAN_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def signed_scan_validate(upload: UploadedFile) -> str:
    """The scan's content type, read from its first bytes; rename it to a fitting suffix.
    Raises ValidationError for anything that is not a PDF, JPEG or PNG within the limit."""
    if upload.size is None or upload.size == 0:
        raise ValidationError({"signed_scan": _("The file is empty.")}, code="scan_empty")
    if upload.size > SCAN_MAX_BYTES:
        raise ValidationError(
            {
                "signed_scan": _("The file is too large: the limit is %(limit)s.")
                % {"limit": filesizeformat(SCAN_MAX_BYTES)}
            },
            code="scan_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, suffix in SCAN_SIGNATURES:
        if head.startswith(magic):
            upload.name = f"scan{suffix}"
            return content_type
    raise ValidationError(
        {"signed_scan": _("Upload the signed act as a PDF, JPEG or PNG file.")},
        code="scan_type",
    )
