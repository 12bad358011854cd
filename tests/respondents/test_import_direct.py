"""Clean batches copied straight into an empty list (issue 17), and the careful way back.

On PostgreSQL an import into a list without rows (or *replace*) COPYs each clean batch
into the list itself; a repeated IIN or external reference meets the list's unique index,
and the import is then run again by ``INSERT ... SELECT``. Whichever way it went, the job
must end exactly as the careful way alone ends it: the same rows, counts and errors.
"""

from __future__ import annotations

import io

import pytest
from django.db import connection

from respondents.importing import pipeline
from respondents.importing import services as import_services
from respondents.importing.services import (
    RowsRejected,
    import_job_create,
    import_job_run,
    respondents_batch_create,
)
from respondents.models import ImportMode, ImportState, ListSize
from tests.respondents.factories import RespondentFactory, RespondentListFactory
from tests.respondents.import_files import RU_HEADER, csv_bytes, person

pytestmark = pytest.mark.django_db

REF_HEADER = [*RU_HEADER, "Внешний номер"]
POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the direct COPY is PostgreSQL's"
)


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


@pytest.fixture
def small_batches(monkeypatch):
    # Several batches from a few rows: a repeat falls into a later batch than its first.
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)


@pytest.fixture
def ways(monkeypatch):
    """Counts of batches copied straight into the list and of careful re-readings."""
    counts = {"direct": 0, "again": 0}
    copy_direct = pipeline.Staging._copy_direct
    load = pipeline._rows_load

    def counted_copy(self, *args):
        counts["direct"] += 1
        return copy_direct(self, *args)

    def counted_load(**kwargs):
        if not kwargs["direct"] and kwargs.get("progress") is not None and counts["direct"]:
            counts["again"] += 1
        return load(**kwargs)

    monkeypatch.setattr(pipeline.Staging, "_copy_direct", counted_copy)
    monkeypatch.setattr(pipeline, "_rows_load", counted_load)
    return counts


def run(actor, respondent_list, data: bytes, mode=ImportMode.APPEND):
    job = import_job_create(
        actor=actor,
        respondent_list=respondent_list,
        upload=io.BytesIO(data),
        file_name="list.csv",
        mode=mode,
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


def careful(monkeypatch):
    """From now on imports take the careful way only (no ``rows_again``)."""
    load = import_services.rows_load

    def without_direct(**kwargs):
        kwargs.pop("rows_again", None)
        return load(**kwargs)

    monkeypatch.setattr(import_services, "rows_load", without_direct)


def with_refs(numbers, refs):
    return [[*person(number), ref] for number, ref in zip(numbers, refs, strict=True)]


def summary(job, respondent_list):
    rows = list(
        respondent_list.respondents.order_by("pk").values_list("unit", "iin", "external_ref")
    )
    size = ListSize.objects.filter(respondent_list=respondent_list).first()
    return {
        "state": job.state,
        "counts": (job.rows_total, job.rows_added, job.rows_skipped, job.rows_removed),
        "error_count": job.error_count,
        "errors": [
            (e["row"], e["field"], e["code"], e["column"], e["letter"], e["message"])
            for e in job.errors_preview
        ],
        "message": job.message,
        "rows": rows,
        "size": size.rows if size else 0,
    }


@POSTGRESQL
def test_a_clean_file_into_an_empty_list_is_copied_straight_in_file_order(
    officer_a, list_a, small_batches, ways
):
    data = csv_bytes(with_refs(range(1, 6), ["A-1", "A-2", "", "A-4", "A-5"]), header=REF_HEADER)
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert (job.rows_total, job.rows_added, job.rows_skipped) == (5, 5, 0)
    assert ways == {"direct": 3, "again": 0}
    rows = list(list_a.respondents.order_by("pk").values_list("unit", "external_ref"))
    assert rows == [("1", "A-1"), ("2", "A-2"), ("3", ""), ("4", "A-4"), ("5", "A-5")]
    assert ListSize.objects.get(respondent_list=list_a).rows == 5
    first = list_a.respondents.get(unit="1")
    assert first.search_text.startswith("қасымов")
    assert first.created_at == first.updated_at
    # The same file again: the list has rows now, so the careful way skips all five.
    again = run(officer_a, list_a, data)
    assert (again.rows_added, again.rows_skipped) == (0, 5)
    assert ways["direct"] == 3


@POSTGRESQL
@pytest.mark.parametrize(
    ("numbers", "refs", "expected"),
    [
        # one repeated IIN, in a later batch than its first row
        ([1, 2, 3, 4, 1], ["", "", "", "", ""], [(6, "iin", "duplicate_iin", 2)]),
        # one repeated reference (different people)
        (
            [1, 2, 3, 4, 5],
            ["A", "B", "C", "B", "E"],
            [(5, "external_ref", "duplicate_external_ref", 3)],
        ),
        # two of each, a person three times
        (
            [1, 2, 1, 3, 1, 4],
            ["A", "B", "", "A", "", "B"],
            [
                (4, "iin", "duplicate_iin", 2),
                (5, "external_ref", "duplicate_external_ref", 2),
                (6, "iin", "duplicate_iin", 2),
                (7, "external_ref", "duplicate_external_ref", 3),
            ],
        ),
    ],
)
def test_a_repeat_the_lists_index_refuses_is_reported_as_the_careful_way_reports_it(
    officer_a, list_a, small_batches, ways, monkeypatch, numbers, refs, expected
):
    data = csv_bytes(with_refs(numbers, refs), header=REF_HEADER)
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.REJECTED
    assert ways["direct"] >= 1
    assert ways["again"] == 1
    assert [(e["row"], e["field"], e["code"]) for e in job.errors_preview] == [
        (row, field, code) for row, field, code, _first in expected
    ]
    for error, (_row, _field, _code, first) in zip(job.errors_preview, expected, strict=True):
        assert f" {first}" in error["message"]  # names the row it repeats
    assert not list_a.respondents.exists()
    assert ListSize.objects.filter(respondent_list=list_a, rows__gt=0).count() == 0
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct


@POSTGRESQL
@pytest.mark.parametrize("repeats", [0, 1, 2])
def test_people_without_an_iin_repeated_are_refused_without_a_second_reading(
    officer_a, list_a, small_batches, ways, monkeypatch, repeats
):
    # No unique index knows names and birth dates: the COPY goes through, the repeats are
    # found among the staged keys at the end, and the transaction takes the rows away.
    rows = [person(n, iin="", citizenship="иностранец") for n in (1, 2, 3)]
    rows += [list(rows[0]) for _ in range(repeats)]
    header = [*RU_HEADER, "Страна гражданства"]
    data = csv_bytes([[*row, "Ресей"] for row in rows], header=header)
    job = run(officer_a, list_a, data)
    assert ways["again"] == 0
    if repeats == 0:
        assert job.state == ImportState.SUCCEEDED, job.errors_preview
        assert list_a.respondents.count() == 3
        return
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [
        (5 + n, "duplicate_person") for n in range(repeats)
    ]
    assert all(" 2" in e["message"] for e in job.errors_preview)
    assert not list_a.respondents.exists()
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct


@POSTGRESQL
def test_errors_and_a_repeat_after_copied_batches_match_the_careful_way(
    officer_a, list_a, small_batches, ways, monkeypatch
):
    rows = with_refs([1, 2, 3, 4, 5, 2], ["A", "B", "C", "D", "E", "F"])
    rows[4][4] = "?"  # row 6: an unknown sex, after two batches were copied
    data = csv_bytes(rows, header=REF_HEADER)
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["field"], e["code"]) for e in job.errors_preview] == [
        (6, "sex", "choice_invalid"),
        (7, "iin", "duplicate_iin"),
    ]
    assert (job.errors_preview[0]["column"], job.errors_preview[0]["letter"]) == ("Пол", "E")
    # The rows copied before the error are rolled back; the second reading stages keys.
    assert ways == {"direct": 2, "again": 1}
    assert not list_a.respondents.exists()
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct


@POSTGRESQL
def test_replace_copies_straight_in_and_append_to_a_list_with_rows_takes_the_careful_way(
    officer_a, list_a, small_batches, ways
):
    RespondentFactory(respondent_list=list_a, surname="Бар", external_ref="A")
    rows = with_refs([1, 2, 3], ["A", "B", "C"])
    replaced = run(officer_a, list_a, csv_bytes(rows, header=REF_HEADER), mode=ImportMode.REPLACE)
    assert replaced.state == ImportState.SUCCEEDED, replaced.errors_preview
    assert (replaced.rows_added, replaced.rows_removed) == (3, 1)
    assert ways == {"direct": 2, "again": 0}
    assert ListSize.objects.get(respondent_list=list_a).rows == 3
    # Appending a file that repeats a person of the list: skipped, not refused.
    grown = run(officer_a, list_a, csv_bytes(with_refs([3, 4], ["C", "D"]), header=REF_HEADER))
    assert (grown.state, grown.rows_added, grown.rows_skipped) == (ImportState.SUCCEEDED, 1, 1)
    assert ways == {"direct": 2, "again": 0}
    units = list(list_a.respondents.order_by("pk").values_list("unit", flat=True))
    assert units == ["1", "2", "3", "4"]


@POSTGRESQL
def test_progress_never_moves_back_when_the_rows_are_read_again(
    officer_a, list_a, small_batches, ways, monkeypatch
):
    seen: list[int] = []
    record = import_services.JobHeartbeat.record

    def recorded(self, column, value):
        if column == "rows_processed":
            seen.append(value)
        return record(self, column, value)

    monkeypatch.setattr(import_services.JobHeartbeat, "record", recorded)
    job = run(officer_a, list_a, csv_bytes([person(n) for n in (1, 2, 3, 4, 5, 6, 1)]))
    assert job.state == ImportState.REJECTED
    assert ways["again"] == 1
    assert seen == sorted(seen)
    assert seen[-1] >= 6


def test_a_rest_batch_with_a_repeated_iin_adds_nothing(officer_a, list_a, small_batches):
    names = ("surname", "given_name", "patronymic", "birth_date", "sex", "citizenship",
             "iin", "residence_status", "unit")  # fmt: skip

    def as_dict(number):
        row = dict(zip(names, person(number, iso=True), strict=True))
        return {**row, "sex": "male" if number % 2 else "female", "citizenship": "citizen",
                "residence_status": "permanent"}  # fmt: skip

    rows = [as_dict(n) for n in (1, 2, 3, 1)]
    with pytest.raises(RowsRejected) as caught:
        respondents_batch_create(actor=officer_a, respondent_list=list_a, rows=rows)
    assert [(e.row, e.code) for e in caught.value.errors] == [(4, "duplicate_iin")]
    assert not list_a.respondents.exists()
    outcome = respondents_batch_create(actor=officer_a, respondent_list=list_a, rows=rows[:3])
    assert (outcome.rows_added, outcome.rows_skipped) == (3, 0)
    assert list(list_a.respondents.order_by("pk").values_list("unit", flat=True)) == ["1", "2", "3"]


@POSTGRESQL
def test_an_error_in_the_first_batch_is_reported_without_a_second_reading(
    officer_a, list_a, small_batches, ways, monkeypatch
):
    rows = [person(n) for n in (1, 2, 3, 4, 1)]
    rows[0][3] = "31.02.1990"
    data = csv_bytes(rows)
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [
        (2, "date_invalid"),
        (6, "duplicate_iin"),
    ]
    assert ways == {"direct": 0, "again": 0}
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct


@POSTGRESQL
@pytest.mark.parametrize("with_iin", [(True, False, True, True, False, True), (False,) * 6])
def test_keys_gathered_over_batches_find_a_repeated_person_with_or_after_an_error(
    officer_a, list_a, ways, monkeypatch, with_iin
):
    # Batches of three: the keys of people without an IIN wait for one statement.
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 3)
    rows = [
        [*person(n, **({} if iin else {"iin": "", "citizenship": "иностранец"})), "Ресей"]
        for n, iin in zip(range(1, 7), with_iin, strict=True)
    ]
    header = [*RU_HEADER, "Страна гражданства"]
    data = csv_bytes([*rows, rows[1]], header=header)  # row 8 repeats row 3, without IIN
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [(8, "duplicate_person")]
    assert ways == {"direct": 3, "again": 0}
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct
    # And after a row error in the second batch (the first was copied).
    rows[4][4] = "?"
    data = csv_bytes([*rows, rows[1]], header=header)
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 3)
    job = run(officer_a, list_a, data)
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [
        (6, "choice_invalid"),
        (8, "duplicate_person"),
    ]
    assert not list_a.respondents.exists()
    direct = summary(job, list_a)
    careful(monkeypatch)
    assert summary(run(officer_a, list_a, data), list_a) == direct
