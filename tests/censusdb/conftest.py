"""Fixtures of the census-database tests."""

from __future__ import annotations

import pytest

from enumeration.progress_services import progress_rebuild
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people


@pytest.fixture
def world(department_user, institution_a, institution_b):
    """A: six listed — two in the census DB here, two not, two enumerated elsewhere (at B,
    in a household) — and two forms naming A's BIN for nobody on a list; B: one in."""
    list_a, list_b = accepted_list(institution_a), accepted_list(institution_b)
    here = [people(list_a, 1, surname=name, given_name="Сара")[0] for name in ("Абаева", "Бабаева")]
    missing = [
        people(list_a, 1, surname=name, given_name="Дана")[0] for name in ("Ғалиева", "Дәулетова")
    ]
    away = [
        people(list_a, 1, surname=name, given_name="Ерлан")[0]
        for name in ("Жаксыбеков", "Зейнолла")
    ]
    person_b = people(list_b, 1, surname="Исаева", given_name="Гүл")[0]
    progress_rebuild(campaign=list_a.campaign)
    stranger = {"IIN": "", "Birth date": "01.02.1990", "BIN": institution_a.bin}
    run_export(
        department_user,
        [
            form("A-1", here[0]),
            form("A-2", here[1]),
            form("X-1", away[0], BIN=institution_b.bin),
            form("X-2", away[1], BIN=""),
            form("B-1", person_b),
            form("N-1", None, Surname="Кеңесова", **{"Given name": "Лаура"}, **stranger),
            form("N-2", None, Surname="Мұратова", **{"Given name": "Нұргүл"}, **stranger),
        ],
    )
    return {"here": here, "missing": missing, "away": away, "b": person_b}
