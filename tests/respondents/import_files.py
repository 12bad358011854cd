"""Build respondent files as people make them: CSV in several encodings, XLSX with titles."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from tests.respondents.factories import make_iin

RU_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Гражданство", "ИИН",
             "Статус проживания", "Комната"]  # fmt: skip
KK_HEADER = ["Тегі", "Аты", "Әкесінің аты", "Туған күні", "Жынысы", "Азаматтығы", "ЖСН",
             "Тұру мәртебесі", "Бөлме"]  # fmt: skip
EN_HEADER = ["SURNAME", "given  name", "Patronymic", "Date of birth", "Sex", "Citizenship",
             "IIN", "Residence status", "Unit"]  # fmt: skip


def person(number: int, *, iso: bool = False, **overrides: Any) -> list[Any]:
    """A valid citizen row (in the header order above); ``number`` makes it unique."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=number * 113)
    sex = "male" if number % 2 else "female"
    row = {
        "surname": "Қасымов" if sex == "male" else "Әлиева",
        "given_name": "Нұрлан" if sex == "male" else "Айгүл",
        "patronymic": "",
        "birth_date": born.isoformat() if iso else born.strftime("%d.%m.%Y"),
        "sex": "М" if sex == "male" else "Ж",
        "citizenship": "гражданин РК",
        "iin": make_iin(born, sex),
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
