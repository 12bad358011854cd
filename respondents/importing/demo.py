"""Demo import jobs on the demo officer's list: one imported file and one refused.

Idempotent: a list that already has import jobs is left alone.
"""

from __future__ import annotations

import io
from typing import Any

from census_coord.demo import DemoContext
from census_coord.kz_ids import with_check_digit
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportSource, RespondentList

HEADER = "Фамилия;Имя;Отчество;Дата рождения;Пол;Гражданство;ИИН;Статус проживания;Комната"


def _iin(head: str) -> str:
    serial = 0
    while (iin := with_check_digit(f"{head}{serial:04d}")) is None:
        serial += 1
    return iin


def _csv(lines: list[str]) -> bytes:
    return ("\r\n".join(["Список респондентов на 1 июня 2021 г.", HEADER, *lines]) + "\r\n").encode(
        "utf-8-sig"
    )


def seed(context: DemoContext, respondent_list: RespondentList | None, officer: Any) -> None:
    if respondent_list is None or officer is None or respondent_list.import_jobs.exists():
        return
    if not respondent_list.is_editable:
        return
    imported = _csv(
        [
            f"Байжанов;Ерболат;Серікұлы;14.02.1961;М;гражданин РК;{_iin('6102143')};постоянно;31",
            f"Ильина;Ольга;Петровна;03.09.1948;Ж;гражданин РК;{_iin('4809034')};постоянно;32",
            "Мирзаев;Рустам;;21.11.1990;М;ЛБГ;;временно проживает;33",
        ]
    )
    refused = _csv(
        [
            "Сапаров;Ә5лихан;;31.02.1955;М;гражданин РК;123;постоянно;40",
            f"Ильина;Ольга;Петровна;03.09.1948;Ж;гражданин РК;{_iin('4809034')};навсегда;41",
        ]
    )
    for name, data in (("тізім-1.csv", imported), ("тізім-2.csv", refused)):
        job = import_job_create(
            actor=officer,
            respondent_list=respondent_list,
            upload=io.BytesIO(data),
            file_name=name,
            source=ImportSource.PAGE,
            enqueue=False,
        )
        import_job_run(job_id=job.pk)
    context.say("Import jobs: one imported file and one refused on the demo officer's list.")
