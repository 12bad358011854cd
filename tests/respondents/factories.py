"""Factories and helpers for respondent lists."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from census_coord.kz_ids import FIRST_ROUND_WEIGHTS, with_check_digit
from institutions.models import Campaign
from respondents.models import Respondent, RespondentList
from respondents.validation import parse_date, search_text
from tests.factories import InstitutionFactory

_serials = itertools.count(1)


def make_iin(born: dt.date, sex: str = "male", *, second_round: bool | None = None) -> str:
    """A valid IIN for this birth date and sex; ``second_round=True`` picks one whose check
    digit comes from the second weight round, False one from the first."""
    century = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (sex == "female")
    while True:
        head = f"{born:%y%m%d}{century}{next(_serials) % 10000:04d}"
        first = sum(int(d) * w for d, w in zip(head, FIRST_ROUND_WEIGHTS, strict=True)) % 11
        if second_round is not None and (first == 10) != second_round:
            continue
        iin = with_check_digit(head)
        if iin is not None:
            return iin


def row_data(**overrides: Any) -> dict[str, Any]:
    """Form-like values of a valid citizen row."""
    born = overrides.pop("birth_date", dt.date(1950, 3, 14))
    sex = overrides.pop("sex", "male")
    data = {
        "surname": "Қасымов",
        "given_name": "Нұрлан",
        "patronymic": "Әбілұлы",
        "birth_date": born,
        "sex": sex,
        "citizenship": "citizen",
        "citizenship_country": "",
        "iin": make_iin(parse_date(born) or dt.date(1950, 3, 14), sex),
        "iin_absent_reason": "",
        "residence_status": "permanent",
        "unit": "12",
        "note": "",
    }
    data.update(overrides)
    return data


class RespondentListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RespondentList

    institution = factory.SubFactory(InstitutionFactory)
    campaign = factory.LazyFunction(lambda: Campaign.objects.get(is_active=True))


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    respondent_list = factory.SubFactory(RespondentListFactory)
    surname = factory.Sequence(lambda n: f"Жұмабаев{'а' * (n % 3)}")
    given_name = factory.Iterator(["Айгүл", "Мұрат", "Елена", "Сергей"])
    patronymic = ""
    # Born 1940–2014 however many rows a session makes (all before any reference date).
    birth_date = factory.Sequence(
        lambda n: dt.date(1940, 1, 1) + dt.timedelta(days=n * 37 % 27_000)
    )
    sex = "male"
    citizenship = "citizen"
    iin = factory.LazyAttribute(lambda o: make_iin(o.birth_date, o.sex))
    residence_status = "permanent"
    search_text = factory.LazyAttribute(
        lambda o: search_text(
            {
                "surname": o.surname,
                "given_name": o.given_name,
                "patronymic": o.patronymic,
                "iin": o.iin,
            }
        )
    )


def bulk_people(respondent_list: RespondentList, count: int, *, start: int = 0) -> None:
    """``count`` people on the list in one INSERT (as the file import's), numbered from
    ``start`` so that each has a birth date and IIN of its own. The factory's sequences are
    left alone: hundreds of rows would push later tests' birth dates into the future."""
    rows = []
    for n in range(start, start + count):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=n)
        iin = make_iin(born)
        values = {"surname": f"Адамов{n}", "given_name": "Асан", "patronymic": "", "iin": iin}
        rows.append(
            Respondent(
                respondent_list=respondent_list,
                birth_date=born,
                sex="male",
                citizenship="citizen",
                residence_status="permanent",
                search_text=search_text(values),
                **values,
            )
        )
    Respondent.objects.bulk_create(rows)
