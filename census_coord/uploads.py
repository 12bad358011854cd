"""Uploaded files: checked by content, stored under generated names, served with a check.

One module for every upload in the application (signed act scans, list files):

- ``upload_validate`` refuses a file by size, by its bytes (never its name or the
  browser's content type), and for XLSX by its zip structure (member count, total
  uncompressed size, and every part's own size and compression ratio: zip bombs), for
  CSV by encoding and row count.
- ``upload_store`` validates first and only then writes, under a generated name in the
  private media root (``MEDIA_ROOT``, outside the web root; ``MEDIA_URL`` is unset).
- ``census_coord.downloads.protected_file_response`` serves a stored file only after the
  owning record was found through the actor's scope (kept apart: it audits, and this module
  sits below ``audit``).
- ``UploadBodyLimitMiddleware`` refuses a request body by its ``Content-Length`` before
  it is read (413), and caps every file part while it streams
  (``CappedFileUploadHandler``), so no upload is read whole before its size is known.
"""

from __future__ import annotations

import csv
import hashlib
import io
import posixpath
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from census_coord import clock

PDF, JPEG, PNG, XLSX, ODS, CSV = "pdf", "jpeg", "png", "xlsx", "ods", "csv"
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ODS: "application/vnd.oasis.opendocument.spreadsheet",
    CSV: "text/csv",
}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx", ODS: "ods", CSV: "csv"}
# The parts without which a zip is no workbook of that kind.
ZIP_REQUIRED_PARTS = {XLSX: ("[Content_Types].xml", "xl/workbook.xml"), ODS: ("content.xml",)}
# An OpenDocument file starts with its uncompressed "mimetype" part (the ODF rule).
_ODS_HEAD = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
HEAD_BYTES = 30 + len(_ODS_HEAD)


@dataclass(frozen=True)
class UploadLimits:
    """Defaults suit a scanned act or a list of a few thousand people.

    Callers with other needs pass their own limits to the same checks (the respondent
    import: ``respondents.importing.readers.import_limits``).
    """

    max_bytes: int = 10 * 1024 * 1024
    # None: rows are not counted here because the caller's reader counts them as it
    # streams the file (a whole large CSV is never decoded in memory for a count).
    max_rows: int | None = 20_000
    max_zip_members: int = 200
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_compression_ratio: int = 100
    # Parts smaller than this are not held to the ratio (tiny XML parts pack very well);
    # they are small by definition, so every part stays bounded by size or by ratio.
    ratio_min_member_bytes: int = 0
    # openpyxl streams worksheets in read-only mode but reads every other part whole:
    # the shared strings become one Python list (several times the XML in memory), so
    # those parts get a much lower ceiling than a sheet. None: max_uncompressed_bytes.
    max_whole_part_bytes: int | None = 16 * 1024 * 1024


def default_limits() -> UploadLimits:
    return UploadLimits(**getattr(settings, "UPLOAD_LIMITS", {}))


@dataclass(frozen=True)
class StoredUpload:
    name: str
    kind: str
    size: int
    sha256: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def detect_kind(head: bytes) -> str | None:
    """The file type by its first bytes; CSV is anything that is not one of the others."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        if head[30:].startswith(_ODS_HEAD):
            return ODS
        return XLSX  # confirmed by upload_check_xlsx: a zip that is really a workbook
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return CSV  # UTF-16 with a byte-order mark: Excel's "Unicode Text"
    if head and b"\x00" not in head:
        return CSV
    return None


def upload_check_size(size: int, limits: UploadLimits) -> None:
    """Refuse an empty file or one over ``limits.max_bytes``."""
    if size == 0:
        raise _refuse(_("The file is empty."), "upload_empty")
    if size > limits.max_bytes:
        raise _refuse(
            _("The file is too large (at most %(limit)d MB).")
            % {"limit": limits.max_bytes // (1024 * 1024)},
            "upload_too_large",
        )


def _streamed_part(name: str) -> bool:
    """A part openpyxl's read-only mode reads row by row instead of whole."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and name.count("/") == 2


def upload_check_xlsx(
    file: Any, limits: UploadLimits, required: tuple[str, ...] = ZIP_REQUIRED_PARTS[XLSX]
) -> None:
    """Refuse a zip that is no workbook or unpacks to too much (zip bombs), unopened.
    ``required``: the parts of the kind of workbook expected (XLSX, or ODS).

    Every part is held to its own ceiling and to the ratio. The sizes checked are the
    ones the zip declares: Python's ``zipfile`` (which openpyxl reads through) stops a
    part at its declared size and fails its CRC, so a part cannot inflate past them.
    """
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(_("The file is not a valid XLSX workbook."), "upload_corrupt") from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise _refuse(_("The workbook has too many parts."), "upload_archive_limit")
        total = 0
        for member in members:
            name = member.filename
            if name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
                raise _refuse(_("The file is not a valid XLSX workbook."), "upload_corrupt")
            total += member.file_size
            ceiling = limits.max_uncompressed_bytes
            if not _streamed_part(name) and limits.max_whole_part_bytes is not None:
                ceiling = min(ceiling, limits.max_whole_part_bytes)
            if member.file_size > ceiling:
                raise _refuse(
                    _("A part of the workbook is too large when unpacked."),
                    "upload_archive_limit",
                )
            ratio = member.file_size / max(member.compress_size, 1)
            if (
                member.file_size >= limits.ratio_min_member_bytes
                and ratio > limits.max_compression_ratio
            ):
                raise _refuse(
                    _("The workbook is compressed suspiciously much."), "upload_archive_limit"
                )
        if total > limits.max_uncompressed_bytes:
            raise _refuse(_("The workbook is too large when unpacked."), "upload_archive_limit")
        names = {member.filename for member in members}
        if not names.issuperset(required):
            raise _refuse(_("The file is not a valid XLSX workbook."), "upload_corrupt")


def _check_csv(data: bytes, limits: UploadLimits) -> None:
    for encoding in (
        ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1251")
    ):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes almost anything; kept for other encodings
        raise _refuse(_("The CSV file's encoding is not supported."), "upload_encoding")
    if limits.max_rows is None:
        return
    rows = sum(1 for _row in csv.reader(io.StringIO(text, newline="")))
    if rows > limits.max_rows + 1:  # plus the header row
        raise _refuse(
            _("The file has too many rows (at most %(limit)d).") % {"limit": limits.max_rows},
            "upload_too_many_rows",
        )


def upload_validate(
    file: Any, *, allowed: Iterable[str], limits: UploadLimits | None = None
) -> str:
    """Check an uploaded file and return its kind; raise ValidationError otherwise."""
    limits = limits or default_limits()
    allowed = set(allowed)
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    upload_check_size(size, limits)
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    kind = detect_kind(head)
    if kind not in allowed:
        raise _refuse(
            _("This type of file is not accepted here. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(EXTENSIONS[k].upper() for k in allowed))},
            "upload_type",
        )
    if kind in ZIP_REQUIRED_PARTS:
        upload_check_xlsx(file, limits, ZIP_REQUIRED_PARTS[kind])
    elif kind == CSV and limits.max_rows is not None:
        _check_csv(file.read(), limits)
    file.seek(0)
    return kind


def storage_name_generate(*, prefix: str, kind: str) -> str:
    """A fresh name that reveals nothing of the original (which may hold a name or IIN)."""
    today = timezone.localdate(clock.wall_now())
    return f"{prefix}/{today:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS[kind]}"


def upload_store(
    file: Any,
    *,
    prefix: str,
    allowed: Iterable[str],
    limits: UploadLimits | None = None,
    storage: Storage | None = None,
) -> StoredUpload:
    """Validate, then write under a generated name. A refused file writes nothing."""
    kind = upload_validate(file, allowed=allowed, limits=limits)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    storage = storage or default_storage
    name = storage.save(storage_name_generate(prefix=prefix, kind=kind), File(file))
    return StoredUpload(name=name, kind=kind, size=storage.size(name), sha256=digest.hexdigest())


# --- request bodies -------------------------------------------------------------------


class UploadTooLarge(Exception):
    """A file part grew past ``UPLOAD_MAX_FILE_BYTES`` while it streamed."""


def upload_max_file_bytes() -> int:
    """The largest file any upload accepts (the respondent import's, by default)."""
    return int(
        getattr(settings, "UPLOAD_MAX_FILE_BYTES", None)
        or max(default_limits().max_bytes, getattr(settings, "RESPONDENT_IMPORT_MAX_BYTES", 0))
    )


def upload_max_request_bytes() -> int:
    """The largest request body: the largest file and a megabyte for the other fields."""
    return int(
        getattr(settings, "UPLOAD_MAX_REQUEST_BYTES", None) or upload_max_file_bytes() + 2**20
    )


class CappedFileUploadHandler(FileUploadHandler):
    """First of the upload handlers: stops a file part as soon as it passes the cap, so
    the rest is never written to memory or a temporary file."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > upload_max_file_bytes():
            raise UploadTooLarge
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file


def _too_large(request: HttpRequest) -> HttpResponse:
    message = _("The upload is too large (at most %(limit)d MB).") % {
        "limit": upload_max_file_bytes() // (1024 * 1024)
    }
    if request.path.startswith("/api/"):
        body = {"code": "request_too_large", "message": message, "errors": []}
        return JsonResponse(body, status=413)
    # "Back" reopens the form the file was posted from (its URL is the form's own).
    context = {"message": message, "back": request.path}
    return render(request, "upload_too_large.html", context, status=413)


class UploadBodyLimitMiddleware:
    """Refuses an over-long body by its declared length, unread, and parses multipart
    bodies through ``CappedFileUploadHandler`` (413 when a file part passes the cap).

    After the language middleware, so the refusal is in the user's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > upload_max_request_bytes():
            return _too_large(request)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.upload_handlers.insert(0, CappedFileUploadHandler(request))  # type: ignore[union-attr]  # a list until the body is read
            try:
                request.POST  # noqa: B018 - parse now, within the caps, not in a view
            except UploadTooLarge:
                return _too_large(request)
        return self.get_response(request)
