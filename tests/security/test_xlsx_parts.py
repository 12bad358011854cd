"""Every part of an uploaded workbook is bounded before openpyxl opens it (issue 15, item 2)."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from census_coord.uploads import XLSX, UploadLimits, upload_validate
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportJob, ImportState, Respondent
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import person, xlsx_bytes

SHARED_STRINGS = "xl/sharedStrings.xml"
PART_TOO_LARGE = "A part of the workbook is too large when unpacked."


def _shared_strings(size: int) -> bytes:
    """Shared strings that pack about 90:1, under the ratio limit, and unpack to ``size``."""
    rnd = random.Random(15)
    # A block shorter than deflate's 32 KB window: repeats pack well, but not suspiciously.
    block = "".join(f"<si><t>{rnd.randrange(10**11, 10**12)}</t></si>" for _ in range(1000))
    body = block.encode() * (size // len(block) + 1)
    return b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + body


def _workbook_with(part: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([person(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for item in source.infolist():
            if item.filename != part:
                archive.writestr(item.filename, source.read(item.filename))
        archive.writestr(part, data)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_workbook_whose_shared_strings_inflate_hugely_is_refused_unopened(
    officer_a, institution_a, monkeypatch, language
):
    data = _workbook_with(SHARED_STRINGS, _shared_strings(100 * 1024 * 1024))
    assert len(data) < 2 * 1024 * 1024  # a small file: 100 MB once unpacked
    packed = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHARED_STRINGS)
    assert packed.file_size / packed.compress_size < 200  # passes the ratio check
    officer_a.language = language
    officer_a.save(update_fields=["language"])

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open this workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    respondent_list = RespondentListFactory(institution=institution_a)
    # Refused at upload, in the uploader's language, before any job exists.
    with pytest.raises(ValidationError) as refused:
        import_job_create(
            actor=officer_a,
            respondent_list=respondent_list,
            upload=io.BytesIO(data),
            file_name="тізім.xlsx",
            enqueue=False,
        )

    with translation.override(language):
        expected = gettext(PART_TOO_LARGE)
    assert expected != PART_TOO_LARGE
    assert refused.value.message_dict == {"file": [expected]}
    assert not ImportJob.objects.exists()
    assert not Respondent.objects.exists()


def test_every_part_is_bounded_by_its_own_size_and_the_ratio():
    limits = UploadLimits(max_bytes=10**8, max_uncompressed_bytes=10**8, max_whole_part_bytes=10**5)
    small = io.BytesIO(_workbook_with(SHARED_STRINGS, _shared_strings(50_000)))
    assert upload_validate(small, allowed=(XLSX,), limits=limits) == XLSX
    big = _workbook_with(SHARED_STRINGS, _shared_strings(200_000))
    with pytest.raises(ValidationError) as refused:
        upload_validate(io.BytesIO(big), allowed=(XLSX,), limits=limits)
    assert refused.value.code == "upload_archive_limit"
    # A streamed worksheet may be larger than a part read whole, up to the total.
    sheet = b"<worksheet>" + b"<row/>" * 30_000 + b"</worksheet>"
    packed_sheet = _workbook_with("xl/worksheets/sheet1.xml", sheet)
    ratio_limits = UploadLimits(
        max_bytes=10**8,
        max_uncompressed_bytes=10**8,
        max_whole_part_bytes=10**5,
        max_compression_ratio=10_000,
    )
    assert upload_validate(io.BytesIO(packed_sheet), allowed=(XLSX,), limits=ratio_limits) == XLSX
    # ...and it is still held to the ratio.
    with pytest.raises(ValidationError) as refused:
        upload_validate(io.BytesIO(packed_sheet), allowed=(XLSX,), limits=limits)
    assert refused.value.code == "upload_archive_limit"


@pytest.mark.django_db
def test_openpyxl_parses_workbooks_with_defusedxml(officer_a, institution_a):
    assert openpyxl.DEFUSEDXML is True
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes([person(1)]))).read("xl/workbook.xml")
    # An entity declaration (the start of a "billion laughs"): the stdlib parser expands it.
    start = workbook.index(b"<workbook")
    with_entity = (
        workbook[:start] + b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">]>' + workbook[start:]
    )
    respondent_list = RespondentListFactory(institution=institution_a)
    job = import_job_create(
        actor=officer_a,
        respondent_list=respondent_list,
        upload=io.BytesIO(_workbook_with("xl/workbook.xml", with_entity)),
        file_name="list.xlsx",
        enqueue=False,
    )
    job = import_job_run(job_id=job.pk)
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == "file_format"
    assert not Respondent.objects.exists()
