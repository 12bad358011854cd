"""Build respondent files as people make them: CSV in several encodings, XLSX with titles."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
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
