"""Census-database import (issue 19 items 2-4): each matching path, applying through the
enumeration services, never over an officer's outcome, idempotent re-import."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from censusdb.models import CensusRecord, CensusReview
from enumeration.models import Enumeration
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import ONLINE_DAY, accepted_list, enumerate_online, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _state(number):
    return CensusRecord.objects.get(form_number=number).state


def test_a_form_with_the_persons_iin_is_recorded_from_the_census_database(
    department_user, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    export = run_export(department_user, [form("F-1", person)])
    assert export.state == "done", export.message
    assert (export.rows_new, export.applied) == (1, 1)
    enumeration = Enumeration.objects.get(respondent=person)
    assert (enumeration.status, enumeration.method, enumeration.source) == (
        "enumerated",
        "online_self",
        "census",
    )
    assert enumeration.enumerated_on == dt.date(2021, 9, 20)
    assert enumeration.registration_number == "F-1"
    record = CensusRecord.objects.get(form_number="F-1")
    assert (record.state, record.match_kind, record.respondent) == ("applied", "iin", person)
    assert AuditEvent.objects.filter(object_type="respondents.respondent").exists()


def test_without_iin_an_exact_name_and_birth_date_match_is_applied(department_user, institution_a):
    person = people(accepted_list(institution_a), 1, iin="", surname="Ёлкина", given_name="Анна")[0]
    run_export(department_user, [form("F-2", person, Surname="ЕЛКИНА", **{"Given name": " анна "})])
    assert _state("F-2") == "applied"
    assert Enumeration.objects.get(respondent=person).status == "enumerated"


def test_latin_look_alike_letters_in_a_cyrillic_name_still_match_exactly(
    department_user, institution_a
):
    person = people(
        accepted_list(institution_a), 1, iin="", surname="Сарсенова", given_name="Айгүл"
    )[0]
    # Latin "a", "e", "o", "c" typed inside the Cyrillic words.
    run_export(
        department_user, [form("F-3", person, Surname="Capceнoвa", **{"Given name": "Aйгүл"})]
    )
    assert _state("F-3") == "applied"


def test_a_kazakh_russian_letter_variant_is_queued_for_the_department(
    department_user, institution_a
):
    person = people(
        accepted_list(institution_a), 1, iin="", surname="Қасымов", given_name="Нұрлан"
    )[0]
    run_export(
        department_user, [form("F-4", person, Surname="Касымов", **{"Given name": "Нурлан"})]
    )
    assert _state("F-4") == "review"
    review = CensusReview.objects.get(record__form_number="F-4")
    assert review.kind == "variant"
    assert list(review.candidates.values_list("respondent_id", flat=True)) == [person.pk]
    assert not Enumeration.objects.exists()


def test_a_transliterated_name_is_queued_for_the_department(department_user, institution_a):
    person = people(
        accepted_list(institution_a), 1, iin="", surname="Жұмабаев", given_name="Ерлан"
    )[0]
    run_export(
        department_user, [form("F-5", person, Surname="Zhumabaev", **{"Given name": "Erlan"})]
    )
    assert _state("F-5") == "review"
    assert CensusReview.objects.get(record__form_number="F-5").kind == "variant"


def test_two_people_of_the_same_name_and_birth_date_are_ambiguous(department_user, institution_a):
    born = dt.date(1970, 5, 5)
    twins = people(
        accepted_list(institution_a), 2, iin="", surname="Ли", given_name="Ольга", birth_date=born
    )
    run_export(department_user, [form("F-6", twins[0])])
    review = CensusReview.objects.get(record__form_number="F-6")
    assert review.kind == "ambiguous"
    assert set(review.candidates.values_list("respondent_id", flat=True)) == {t.pk for t in twins}
    assert not Enumeration.objects.exists()


def test_the_institution_of_the_bin_is_searched_before_the_region(
    department_user, institution_a, institution_b
):
    born = dt.date(1980, 1, 1)
    here = people(
        accepted_list(institution_a), 1, iin="", surname="Ким", given_name="Ирина", birth_date=born
    )[0]
    people(
        accepted_list(institution_b), 1, iin="", surname="Ким", given_name="Ирина", birth_date=born
    )
    run_export(department_user, [form("F-7", here)])
    record = CensusRecord.objects.get(form_number="F-7")
    assert (record.state, record.respondent, record.match_scope) == ("applied", here, "institution")


def test_a_form_naming_no_bin_is_matched_region_wide(department_user, institution_b):
    person = people(accepted_list(institution_b), 1, iin="", surname="Ахметов", given_name="Бек")[0]
    run_export(department_user, [form("F-8", person, BIN="")])
    record = CensusRecord.objects.get(form_number="F-8")
    assert (record.state, record.match_scope) == ("applied", "region")


def test_a_form_of_nobody_on_the_lists_is_not_listed(department_user, institution_a):
    people(accepted_list(institution_a), 1)
    export = run_export(
        department_user,
        [
            form(
                "F-9",
                None,
                Surname="Неизвестный",
                **{"Given name": "Иван", "Birth date": "01.01.1990", "BIN": institution_a.bin},
            )
        ],
    )
    assert export.not_listed == 1
    assert _state("F-9") == "not_listed"


def test_an_officers_different_outcome_is_never_overwritten(
    department_user, officer_a, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person, day=dt.date(2021, 9, 25))
    run_export(department_user, [form("F-10", person)])
    enumeration = Enumeration.objects.get(respondent=person)
    assert (enumeration.source, enumeration.enumerated_on) == ("web", dt.date(2021, 9, 25))
    review = CensusReview.objects.get(record__form_number="F-10")
    assert review.kind == "conflict"
    assert review.officer_side["enumerated_on"] == "2021-09-25"


def test_an_officers_agreeing_outcome_is_confirmed_and_left_alone(
    department_user, officer_a, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person, day=ONLINE_DAY)
    export = run_export(department_user, [form("F-11", person)])
    assert export.confirmed == 1
    assert Enumeration.objects.get(respondent=person).source == "web"
    assert not CensusReview.objects.exists()


def test_reimporting_the_same_export_changes_nothing_and_a_newer_one_updates(
    department_user, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    rows = [form("F-12", person)]
    run_export(department_user, rows)
    changes = person.enumeration.changes.count()
    again = run_export(department_user, rows)
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert person.enumeration.changes.count() == changes
    newer = run_export(
        department_user, [form("F-12", person, **{"Completed at": "22.09.2021 09:00"})]
    )
    assert (newer.rows_updated, newer.applied) == (1, 1)
    assert Enumeration.objects.get(respondent=person).enumerated_on == dt.date(2021, 9, 22)


def test_rows_with_errors_are_counted_and_named_and_the_rest_imported(
    department_user, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    export = run_export(
        department_user, [form("F-13", person), form("bad number!", person, Method="post")]
    )
    assert (export.rows_processed, export.rows_invalid, export.applied) == (2, 1, 1)
    assert {e["field"] for e in export.errors_preview} == {"form_number", "method"}


def test_the_keys_read_a_kazakh_latin_schwa_as_a():
    from respondents.matching import variant_key

    born = dt.date(1934, 8, 21)
    assert variant_key("Жұмабаев", "Дәурен", born) == variant_key("Zhumabaev", "Dəuren", born)
    assert variant_key("Жұмабаев", "Дәурен", born) == variant_key("Жумабаев", "Daúren", born)
