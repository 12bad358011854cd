"""Build respondent files as people make them: CSV in several encodings, XLSX and ODS."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook

from census_coord.kz_ids import with_check_digit

# Birth dates cycle over this many days from 1925 (all before the 2021 reference date).
DAYS = 34_000

RU_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Гражданство", "ИИН",
             "Статус проживания", "Комната"]  # fmt: skip
KK_HEADER = ["Тегі", "Аты", "Әкесінің аты", "Туған күні", "Жынысы", "Азаматтығы", "ЖСН",
             "Тұру мәртебесі", "Бөлме"]  # fmt: skip
EN_HEADER = ["SURNAME", "given  name", "Patronymic", "Date of birth", "Sex", "Citizenship",
             "IIN", "Residence status", "Unit"]  # fmt: skip


def unique_iin(number: int, born: dt.date, sex: str) -> str:
    """A valid IIN, different for every ``number`` (serials step on when a date repeats)."""
    century = (3 if born.year < 2000 else 5) + (sex == "female")
    serial = number // DAYS * 2
    while True:
        iin = with_check_digit(f"{born:%y%m%d}{century}{serial % 10000:04d}")
        if iin is not None:
            return iin
        serial += 1


def person(number: int, *, iso: bool = False, **overrides: Any) -> list[Any]:
    """A valid citizen row (in the header order above); ``number`` makes it unique."""
    born = dt.date(1925, 1, 1) + dt.timedelta(days=(number * 113) % DAYS)
    sex = "male" if number % 2 else "female"
    row = {
        "surname": "Қасымов" if sex == "male" else "Әлиева",
        "given_name": "Нұрлан" if sex == "male" else "Айгүл",
        "patronymic": "",
        "birth_date": born.isoformat() if iso else born.strftime("%d.%m.%Y"),
        "sex": "М" if sex == "male" else "Ж",
        "citizenship": "гражданин РК",
        "iin": unique_iin(number, born, sex),
        "residence_status": "постоянно",
        "unit": str(number),
    }
    row.update(overrides)
    return list(row.values())


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = RU_HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
    titles: Sequence[str] = (),
) -> bytes:
    lines = [*titles, delimiter.join(header)]
    lines += [delimiter.join(str(value) for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = KK_HEADER,
    titles: Sequence[str] = (),
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append([title])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = RU_HEADER,
    sheet: str = "Список",
) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice saves one: mimetype first, uncompressed."""
    from xml.sax.saxutils import escape

    def cell(value: Any) -> str:
        if isinstance(value, dt.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="'
                f'{value.isoformat()}"><text:p>{value:%d.%m.%Y}</text:p></table:table-cell>'
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(value) for value in row) + "</table:table-row>"
        for row in [list(header), *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(data: bytes, values: dict[str, str], *, sheet: int = 1) -> bytes:
    """An openpyxl workbook whose formula cells (``{"J2": "36"}``) carry the value Excel
    would have computed and saved (openpyxl itself writes formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet}.xml":
                for ref, value in values.items():
                    content = re.sub(
                        rf'(<c r="{ref}"[^>]*)><f>(.*?)</f><v\s*/>'.encode(),
                        rf'\1 t="str"><f>\2</f><v>{value}</v>'.encode(),
                        content,
                    )
                    content = re.sub(
                        rf'(<c r="{ref}"[^>]*)><f>(.*?)</f>(</c>)'.encode(),
                        rf'\1 t="str"><f>\2</f><v>{value}</v>\3'.encode(),
                        content,
                    )
            archive.writestr(item, content)
    return buffer.getvalue()


def encrypted(data: bytes, *, password: str) -> bytes:
    """The workbook as Excel saves it with "Encrypt with Password" (MS-OFFCRYPTO agile)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, output)
    return output.getvalue()


def with_content(data: bytes, change: Callable[[str], str]) -> bytes:
    """An ODS file whose ``content.xml`` went through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "content.xml":
                content = change(content.decode()).encode()
            archive.writestr(item, content)
    return buffer.getvalue()
