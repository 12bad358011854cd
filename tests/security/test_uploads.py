"""Hostile uploads are refused by content, and nothing is written when they are."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from census_coord.uploads import (
    CSV,
    JPEG,
    PDF,
    PNG,
    XLSX,
    UploadLimits,
    upload_store,
    upload_validate,
)

SCANS = (PDF, JPEG, PNG)
LISTS = (XLSX, CSV)


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "private")


def _files(storage) -> list:
    root = storage.location
    import pathlib

    return [p for p in pathlib.Path(root).rglob("*") if p.is_file()]


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["iin", "name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


HOSTILE = {
    "html renamed to pdf": (
        _upload("scan.pdf", b"<html><script>alert(1)</script>"),
        SCANS,
        "upload_type",
    ),
    "executable as png": (
        _upload("scan.png", b"MZ\x90\x00\x03" + b"\x00" * 50),
        SCANS,
        "upload_type",
    ),
    "empty": (_upload("scan.pdf", b""), SCANS, "upload_empty"),
    "csv where scans expected": (_upload("scan.pdf", b"a,b\n1,2\n"), SCANS, "upload_type"),
    "zip that is no workbook": (
        _upload("list.xlsx", _zip({"readme.txt": b"hello"})),
        LISTS,
        "upload_corrupt",
    ),
    "zip bomb": (
        _upload(
            "list.xlsx", _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"0" * 5_000_000})
        ),
        LISTS,
        "upload_archive_limit",
    ),
    "path traversal member": (
        _upload(
            "list.xlsx",
            _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x", "../../etc/x": b"x"}),
        ),
        LISTS,
        "upload_corrupt",
    ),
    "pdf where lists expected": (_upload("list.csv", b"%PDF-1.7\n"), LISTS, "upload_type"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_upload_is_refused_and_nothing_is_written(case, storage):
    upload, allowed, code = HOSTILE[case]
    with pytest.raises(ValidationError) as refused:
        upload_store(upload, prefix="scans", allowed=allowed, storage=storage)
    assert refused.value.code == code
    assert refused.value.messages[0]
    assert _files(storage) == []


def test_too_large_and_too_many_rows_are_refused(storage):
    limits = UploadLimits(max_bytes=1024, max_rows=3)
    with pytest.raises(ValidationError) as large:
        upload_validate(_upload("a.pdf", b"%PDF-" + b"0" * 2000), allowed=SCANS, limits=limits)
    assert large.value.code == "upload_too_large"
    rows = "\n".join(["iin;name"] + [f"{n};x" for n in range(5)]).encode("cp1251")
    with pytest.raises(ValidationError) as many:
        upload_store(
            _upload("a.csv", rows), prefix="lists", allowed=LISTS, limits=limits, storage=storage
        )
    assert many.value.code == "upload_too_many_rows"
    assert _files(storage) == []


def test_accepted_files_get_generated_names_in_private_storage(storage, settings):
    stored = upload_store(
        _upload("Иванов 900101300011.xlsx", _xlsx()), prefix="lists", allowed=LISTS, storage=storage
    )
    assert stored.kind == XLSX
    assert "900101300011" not in stored.name
    assert "Иванов" not in stored.name
    assert stored.name.startswith("lists/")
    assert stored.name.endswith(".xlsx")
    pdf = upload_store(
        _upload("scan.PDF", b"%PDF-1.7\n%%EOF\n"), prefix="scans", allowed=SCANS, storage=storage
    )
    assert pdf.kind == PDF
    assert len(_files(storage)) == 2


def test_media_is_outside_the_web_root_and_has_no_url(settings):
    from django.urls import get_resolver

    assert settings.MEDIA_URL in (None, "")
    media, static = settings.MEDIA_ROOT.resolve(), settings.STATIC_ROOT.resolve()
    assert not media.is_relative_to(static)
    assert not any("media" in str(p.pattern) for p in get_resolver().url_patterns)
