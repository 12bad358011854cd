"""The census-database import's rules in SQL agree with their Python originals: the name
keys of ``respondents.matching`` (every matching path) and the IIN check digit of
``census_coord.kz_ids``; and a file read at COPY speed gives the Python reader's row
errors and line numbers."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection

from census_coord.kz_ids import check_digit_valid_sql, has_valid_check_digit, with_check_digit
from censusdb.models import CensusRecord
from respondents import matching
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people

pytestmark = pytest.mark.django_db

BORN = dt.date(1984, 2, 29)
# (surname, given name): look-alike letters, ё/е, Kazakh letters and their Russian
# neighbours, transliteration both ways, case, spaces, hyphens, apostrophes, doubled
# letters, words of twins only, both scripts in one word, other scripts, empty parts.
NAMES = [
    ("Ёлкина", "Анна"), ("ЕЛКИНА", " анна "), ("елкина", "АННА"),
    ("Capceнoвa", "Aйгүл"), ("Сарсенова", "Айгүл"), ("TOKAEB", "EPMEK"), ("Токаев", "Ермек"),
    ("Қасымов", "Нұрлан"), ("Касымов", "Нурлан"), ("Qasymov", "Nurlan"), ("Kasymov", "Nŭrlan"),
    ("Жұмабаев", "Дәурен"), ("Zhumabaev", "Dəuren"), ("Жумабаев", "Daúren"),
    ("Jumabaev", "Dauren"), ("Шәріпова", "Әсем"), ("Sharipova", "Asem"), ("Şäripova", "Äsem"),
    ("Хабиров", "Щукин"), ("Khabirov", "Shchukin"), ("Habirov", "Scukin"),
    ("Цой", "Чингиз"), ("Tsoi", "Chingiz"), ("Coi", "Cingiz"), ("Tsoy", "Çıngız"),
    ("Юсупова", "Яна"), ("Yusupova", "Yana"), ("Iusupova", "Iana"),
    ("Ғаббасов", "Һадиса"), ("Gabbasov", "Hadisa"), ("Ğabbasov", "Ǵalym"),
    ("Абдулла-Оглы", "Мария Луиза"), ("Абдулла оглы", "Мария-Луиза"), ("О'Нил", "Шон"),
    ("O’Нил", "Шон"), ("Ахмедов", "Али\u00a0Бек"), ("Иванова\tПетрова", "Ольга"),
    ("Ссмирнова", "Алла"), ("Смирнова", "Ала"), ("Mиxaйлoв", "Cергей"), ("Михайлов", "Сергей"),
    ("Mixailov", "Sergey"), ("Müller", "Jürgen"), ("Straße", "Sabine"), ("Ӏсаев", "Ӏса"),
    ("Ким", "Ли"), ("KИМ", "ЛИ"), ("Kim", "Li"), ("Дoe", "John"), ("Doe", "Jоhn"),
    ("Ivanov-ИВАНОВ", "Pётр"), ("Ἀλέξανδρος", "Μαρία"), ("李", "小龙"), ("-", "."),
    ("Ъьев", "Ыэ"), ("Iлияс", "Iзбасар"), ("Ilyas", "Izbasar"), ("Ілияс", "Ізбасар"),
]  # fmt: skip


def _sql_keys(names):
    plain_s, plain_g = matching.sql_plain("n.surname"), matching.sql_plain("n.given_name")
    empty = "n.born IS NULL OR n.surname = '' OR n.given_name = ''"
    exact, variant = matching.sql_keys("n.plain_s", "n.plain_g", "n.born", empty=empty)
    with connection.cursor() as cursor:
        for statement in matching.sql_functions():
            cursor.execute(statement)
        cursor.execute("CREATE TEMPORARY TABLE rule_names (i int, surname text, given_name text)")
        cursor.executemany(
            "INSERT INTO rule_names VALUES (%s, %s, %s)",
            [(i, s.strip(), g.strip()) for i, (s, g) in enumerate(names)],
        )
        cursor.execute(
            f"SELECT n.i, {exact}, {variant} FROM (SELECT r.*, %s::date AS born, "  # noqa: S608
            f"{plain_s.replace('n.', 'r.')} AS plain_s, {plain_g.replace('n.', 'r.')} AS plain_g "
            "FROM rule_names r) n ORDER BY n.i",
            [BORN],
        )
        return [(exact_key, variant_key) for _i, exact_key, variant_key in cursor.fetchall()]


def test_the_sql_name_keys_are_the_python_keys_on_tricky_names():
    stripped = [(s.strip(), g.strip()) for s, g in NAMES]
    expected = [
        (matching.exact_key(s, g, BORN), matching.variant_key(s, g, BORN)) for s, g in stripped
    ]
    assert _sql_keys(NAMES) == expected
    # The corpus does exercise every path: exact matches across look-alikes and case,
    # variant-only matches across Kazakh letters and transliteration.
    keys = dict(zip(NAMES, expected, strict=True))
    assert keys[("Capceнoвa", "Aйгүл")][0] == keys[("Сарсенова", "Айгүл")][0]
    assert keys[("ЕЛКИНА", " анна ")][0] == keys[("Ёлкина", "Анна")][0]
    assert keys[("Касымов", "Нурлан")][0] != keys[("Қасымов", "Нұрлан")][0]
    assert keys[("Qasymov", "Nurlan")][1] == keys[("Қасымов", "Нұрлан")][1]
    assert keys[("Khabirov", "Shchukin")][1] == keys[("Хабиров", "Щукин")][1]


def test_the_sql_name_keys_are_the_python_keys_on_generated_names():
    rng = random.Random(19)
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһАЕОРСХaeopcxiykhABEKMHOPCTXIY'- ё"
    names = [
        (
            "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))).strip() or "а",
            "".join(rng.choice(letters) for _ in range(rng.randint(1, 7))).strip() or "б",
        )
        for _ in range(400)
    ]
    expected = [
        (matching.exact_key(s, g, BORN), matching.variant_key(s, g, BORN)) for s, g in names
    ]
    assert _sql_keys(names) == expected


def test_the_sql_check_digit_is_the_python_one():
    rng = random.Random(7)
    iins = [f"{rng.randrange(10**12):012d}" for _ in range(3000)]
    iins += [
        with_check_digit(f"{rng.randrange(10**11):011d}") or "000000000000" for _ in range(3000)
    ]
    # Eleven digits whose first round gives 10: the second round decides.
    iins += ["000000000101", "123456789014", "900101300095", "000000000000"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE rule_iins (iin text)")
        cursor.executemany("INSERT INTO rule_iins VALUES (%s)", [(iin,) for iin in iins])
        cursor.execute(f"SELECT iin, {check_digit_valid_sql('iin')} FROM rule_iins")  # noqa: S608
        found = dict(cursor.fetchall())
    assert found == {iin: has_valid_check_digit(iin) for iin in iins}
    assert sum(found.values()) > 3000  # both outcomes are exercised


def test_a_quoted_line_break_keeps_the_line_numbers_of_the_rows_after_it(
    department_user, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    export = run_export(
        department_user,
        [
            form("F-1", person, Patronymic="two\nlines"),
            form("F-2", person, Method="post"),
            form("bad!", person, **{"Birth date": "31.02.1990", "IIN": "123"}),
        ],
    )
    assert export.state == "done", export.message
    assert [(e["row"], e["field"]) for e in export.errors_preview] == [
        (4, "method"), (5, "form_number"), (5, "iin"), (5, "birth_date"),
    ]  # fmt: skip
    assert CensusRecord.objects.get(form_number="F-1").patronymic == "two\nlines"


def test_a_ragged_file_is_read_row_by_row_with_the_same_errors(department_user, institution_a):
    from django.core.files.base import ContentFile

    from censusdb import services
    from tests.censusdb.helpers import HEADER

    person = people(accepted_list(institution_a), 1)[0]
    good = form("F-1", person)
    lines = [";".join(HEADER), ";".join(good[h] for h in HEADER), "", "F-2;;;;;;;online"]
    file = ContentFile(("\r\n".join(lines) + "\r\n").encode("utf-8"), name="export.csv")
    export = services.census_export_create(actor=department_user, file=file, file_name="e.csv")
    export = services.census_export_run(export_id=export.pk)
    assert (export.rows_processed, export.rows_invalid, export.applied) == (2, 1, 1)
    assert [(e["row"], e["field"]) for e in export.errors_preview] == [
        (4, "surname"), (4, "completed_at"),
    ]  # fmt: skip


def test_the_stored_name_keys_are_used_while_fresh_and_recomputed_when_stale(
    department_user, institution_a
):
    from django.utils import timezone

    from respondents.models import RespondentNameKey

    person = people(accepted_list(institution_a), 1, iin="", surname="Ким", given_name="Ирина")[0]
    born = person.birth_date
    # Keys stored by the duplicate check after the row's last change: the import uses them
    # (here deliberately another name's, to see which keys were read).
    RespondentNameKey.objects.update_or_create(
        respondent=person,
        defaults={
            "exact_key": matching.exact_key("Пак", "Ирина", born),
            "variant_key": matching.variant_key("Пак", "Ирина", born),
            "computed_at": timezone.now() + dt.timedelta(hours=1),
        },
    )
    run_export(department_user, [form("F-1", person, Surname="Пак")])
    assert CensusRecord.objects.get(form_number="F-1").respondent == person
    # Keys older than the row: computed again from the row itself.
    RespondentNameKey.objects.filter(respondent=person).update(
        computed_at=timezone.now() - dt.timedelta(days=1)
    )
    run_export(department_user, [form("F-2", person, Surname="Пак"), form("F-3", person)])
    assert CensusRecord.objects.get(form_number="F-2").state == "not_listed"
    assert CensusRecord.objects.get(form_number="F-3").state == "review"  # F-1 holds her


def test_the_later_line_of_a_form_given_twice_is_the_exports_word(department_user, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    export = run_export(
        department_user,
        [form("F-1", person, Tablet="T-1"), form("F-1", person, Tablet="T-2")],
    )
    assert (export.rows_processed, export.rows_new) == (2, 1)
    assert CensusRecord.objects.get(form_number="F-1").tablet_ref == "T-2"


def test_a_workbook_streams_through_the_reader_with_the_same_checks(department_user, institution_a):
    import io

    from django.core.files.base import ContentFile
    from openpyxl import Workbook

    from censusdb import services
    from tests.censusdb.helpers import HEADER

    person = people(accepted_list(institution_a), 1)[0]
    book = Workbook()
    sheet = book.active
    sheet.append(["Census database export"])  # a title row above the header
    sheet.append(HEADER)
    good = form("F-1", person)
    good["IIN"] = int(person.iin)  # a number cell: leading zeros lost, padded back
    good["Birth date"] = dt.datetime.combine(person.birth_date, dt.time())
    good["Completed at"] = dt.datetime(2021, 9, 20, 10, 30)  # noqa: DTZ001  # a sheet has no zone
    sheet.append([good[h] for h in HEADER])
    sheet.append([form("F-2", person, Method="fax")[h] for h in HEADER])
    out = io.BytesIO()
    book.save(out)
    file = ContentFile(out.getvalue(), name="export.xlsx")
    export = services.census_export_create(actor=department_user, file=file, file_name="e.xlsx")
    export = services.census_export_run(export_id=export.pk)
    assert (export.rows_processed, export.rows_invalid, export.applied) == (2, 1, 1), export.message
    assert [(e["row"], e["field"]) for e in export.errors_preview] == [(4, "method")]
    record = CensusRecord.objects.get(form_number="F-1")
    assert (record.iin, record.birth_date, record.respondent) == (
        person.iin, person.birth_date, person,
    )  # fmt: skip
