"""Benchmark the census-database import against listed people, with COPY as the baseline.

    python bench/reconcile_bench.py [--rows N] [--people M]

Needs PostgreSQL (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/census_reconcile_bench``; created and migrated when
missing). It lists ``--people`` people (default 1,000,000) on accepted lists of 100-odd
institutions (written with COPY, behind the services, as a fixture, with the name keys the
duplicate check stores when a list is submitted), writes an export of
``--rows`` completed forms (default 1,000,000: most with the person's IIN, some without IIN
by name, some of nobody on the lists), imports it through the job (``census_export_run``:
COPY, row checks and matching in SQL, apply through the enumeration services, one write of
each record), printing its phases and every statement over a second, then COPYs the same
file into a bare table. The last line is::

    rows_per_s=… vs_copy=… peak_rss_mb=…

``vs_copy`` is the import's rate over COPY's; ``peak_rss_mb`` is measured right after the
import. Issue 19's target is ``vs_copy >= 0.25`` with memory flat.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/census_reconcile_bench"
PER_INSTITUTION = 10_000
SURNAMES = ["Қасымов", "Жұмабаев", "Петров", "Ким", "Серікбаев", "Ахметов", "Иванов", "Әлиев"]
GIVEN = ["Нұрлан", "Айгүл", "Мұрат", "Елена", "Сергей", "Дәурен", "Толқын", "Ирина"]
HEADER = ["Form number", "IIN", "Surname", "Given name", "Patronymic", "Birth date", "Sex",
          "Method", "Completed at", "Tablet", "BIN"]  # fmt: skip


def _setup() -> None:
    from bench.common import django_setup

    django_setup(DEFAULT_DB)
    from django.conf import settings
    from django.core.management import call_command

    settings.RESPONDENT_IMPORT_MAX_BYTES = 2**40
    settings.RESPONDENT_IMPORT_MAX_ROWS = 10**8
    call_command("migrate", verbosity=0)


def _iin(born: dt.date, serial: int) -> str:
    from census_coord.kz_ids import with_check_digit

    while True:
        head = f"{born:%y%m%d}{3 if born.year < 2000 else 5}{serial % 10000:04d}"
        iin = with_check_digit(head)
        if iin is not None:
            return iin
        serial += 7


def _person(number: int) -> tuple[str, str, dt.date, str]:
    rng = random.Random(number)
    born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randint(0, 30_000))
    surname = f"{rng.choice(SURNAMES)}{number}"  # unique, so a name match is one person
    given = rng.choice(GIVEN)
    iin = "" if number % 20 == 0 else _iin(born, number)
    return surname, given, born, iin


def _fixtures(people: int):
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.models import User
    from accounts.roles import Role, sync_role_groups
    from census_coord.kz_ids import with_check_digit
    from censusdb.models import CensusCandidate, CensusExport, CensusRecord, CensusReview
    from enumeration.models import Enumeration, EnumerationChange
    from enumeration.progress_services import progress_rebuild
    from institutions.models import District, Institution, InstitutionType
    from institutions.selectors import campaign_get_active
    from respondents.choices import ListStatus
    from respondents.models import Respondent, RespondentList

    sync_role_groups()
    user, _created = User.objects.get_or_create(username="bench_department")
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT))
    campaign = campaign_get_active()
    with connection.cursor() as cursor:
        # The last run's rows, at once (a DELETE of millions, its foreign keys checked row
        # by row against tables full of dead rows, took longer than the import).
        tables = ", ".join(model._meta.db_table for model in (
            CensusCandidate, CensusReview, CensusRecord, CensusExport, EnumerationChange,
            Enumeration))  # fmt: skip
        cursor.execute(f"TRUNCATE {tables}")
    lists: list[tuple[int, str]] = []
    serial = 1
    for index in range(people // PER_INSTITUTION + 1):
        while (bin_ := with_check_digit(f"9912{index:04d}{serial:03d}")) is None:
            serial += 1
        institution, _created = Institution.objects.get_or_create(
            bin=bin_,
            defaults={
                "name_kk": f"Бенчмарк мекемесі {index}",
                "name_ru": f"Учреждение для замеров {index}",
                "type": InstitutionType.objects.order_by("position").first(),
                "district": District.objects.order_by("code").first(),
            },
        )
        respondent_list, _created = RespondentList.objects.get_or_create(
            institution=institution, campaign=campaign
        )
        RespondentList.objects.filter(pk=respondent_list.pk).update(status=ListStatus.ACCEPTED)
        lists.append((respondent_list.pk, bin_))
    table = Respondent._meta.db_table
    listed = Respondent.objects.filter(respondent_list_id__in=[pk for pk, _bin in lists])
    if listed.count() == people:  # listed by an earlier run: the generator is deterministic
        _name_keys(lists)
        progress_rebuild(campaign=campaign)
        return user, lists
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE respondent_list_id = ANY(%s)",  # noqa: S608
            [[pk for pk, _bin in lists]],
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        columns = ("respondent_list_id, surname, given_name, patronymic, birth_date, sex, "
                   "citizenship, citizenship_country, iin, iin_absent_reason, residence_status, "
                   "unit, note, departure_reason, search_text, created_at, updated_at, "
                   "external_ref")  # fmt: skip
        # Empty cells are empty text, not NULL (arrived_on and departed_on are not copied).
        copy = (f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL "
                "(patronymic, citizenship_country, iin, iin_absent_reason, unit, note, "
                "departure_reason, search_text, external_ref))")  # fmt: skip
        for number in range(people):
            surname, given, born, iin = _person(number)
            writer.writerow([lists[number // PER_INSTITUTION][0], surname, given, "", born,
                             "male", "citizen" if iin else "foreign", "", iin,
                             "" if iin else "-", "permanent", "", "", "", "",
                             "2021-06-01 00:00+00", "2021-06-01 00:00+00", ""])  # fmt: skip
            if number % 50_000 == 49_999:
                buffer.seek(0)
                cursor.cursor.copy_expert(copy, buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        buffer.seek(0)
        cursor.cursor.copy_expert(copy, buffer)
        cursor.execute(f"VACUUM ANALYZE {table}")
    _name_keys(lists)
    progress_rebuild(campaign=campaign)
    return user, lists


def _name_keys(lists: list[tuple[int, str]]) -> None:
    """The people's stored name keys, as the duplicate check computes them when a list is
    submitted (``respondents.services._name_keys_refresh``): the import reads them."""
    from django.db import connection

    from respondents.matching import name_keys
    from respondents.models import Respondent, RespondentNameKey

    missing = (
        Respondent.objects.filter(
            respondent_list_id__in=[pk for pk, _bin in lists], name_key__isnull=True
        )
        .order_by()
        .values_list("pk", "surname", "given_name", "birth_date")
    )
    copy = (f"COPY {RespondentNameKey._meta.db_table} (respondent_id, exact_key, variant_key, "
            "computed_at) FROM STDIN WITH (FORMAT csv)")  # fmt: skip
    buffer, size = io.StringIO(), 0
    writer = csv.writer(buffer)
    with connection.cursor() as cursor:
        for pk, surname, given_name, birth_date in missing.iterator(chunk_size=10_000):
            keys = name_keys(surname, given_name, birth_date)
            writer.writerow([pk, keys.exact, keys.variant, "2021-06-01 00:00+00"])
            size += 1
            if size % 50_000 == 0:
                buffer.seek(0)
                cursor.cursor.copy_expert(copy, buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        buffer.seek(0)
        cursor.cursor.copy_expert(copy, buffer)
        cursor.execute(f"ANALYZE {RespondentNameKey._meta.db_table}")


def write_export(path: Path, rows: int, people: int, lists: list[tuple[int, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for number in range(rows):
            if number % 50 == 49 or number >= people:  # on no list
                surname, given, born, iin = f"Жоқ{number}", "Адам", dt.date(1970, 1, 1), ""
                bin_ = lists[0][1]
            else:
                surname, given, born, iin = _person(number)
                bin_ = lists[number // PER_INSTITUTION][1]
            day = dt.date(2021, 9, 2) + dt.timedelta(days=number % 40)
            writer.writerow([f"B-{number}", iin, surname, given, "", f"{born:%d.%m.%Y}", "",
                             "online", f"{day:%d.%m.%Y} 10:00", "", bin_])  # fmt: skip


def _report_slow(execute, sql, params, many, context):
    """Print every statement of the import that takes more than a second (where time goes)."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        took = time.perf_counter() - started
        if took > 1:
            print(f"  slow ({took:.1f}s): {' '.join(sql.split())[:160]}", flush=True)


def bench_import(path: Path, user) -> tuple[float, str]:
    import logging

    from django.core.files import File
    from django.db import connection

    # The job logs its phases ("census export N: read 1.2s, checked …"): print them.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("  phases: %(message)s"))
    phases = logging.getLogger("censusdb.services")
    phases.addHandler(handler)
    phases.setLevel(logging.INFO)

    from censusdb.services import census_export_create, census_export_run

    connection.execute_wrappers.append(_report_slow)
    started = time.perf_counter()
    with path.open("rb") as handle:
        export = census_export_create(
            actor=user, file=File(handle, name="export.csv"), file_name="export.csv", enqueue=False
        )
    export = census_export_run(export_id=export.pk)
    elapsed = time.perf_counter() - started
    connection.execute_wrappers.remove(_report_slow)
    print(f"import: {export.rows_processed} rows in {elapsed:.1f}s — {export.message}", flush=True)
    return export.rows_processed / elapsed, export.state


def bench_copy(path: Path) -> float:
    from django.db import connection, transaction

    table = "bench_census_copy"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (form_number text, iin text, surname text, given_name text, "
            "patronymic text, birth_date text, sex text, method text, completed_at text, "
            "tablet text, bin text)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as raw:
        raw.read(3)  # the BOM
        cursor.cursor.copy_expert(
            f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')",
            io.BufferedReader(raw),
        )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant name
        count = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {table}")
    print(f"raw COPY: {count} rows in {elapsed:.1f}s", flush=True)
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    _setup()
    user, lists = _fixtures(args.people)
    print(f"listed: {args.people} people on {len(lists)} lists", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        write_export(path, args.rows, args.people, lists)
        print(f"file: {args.rows} rows, {path.stat().st_size / 2**20:.1f} MB", flush=True)
        rate, state = bench_import(path, user)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        copy_rate = bench_copy(path)
    print(f"rows_per_s={rate:.0f} vs_copy={rate / copy_rate:.3f} peak_rss_mb={peak_mb:.0f}")
    if state != "done":
        sys.exit(1)


if __name__ == "__main__":
    main()
