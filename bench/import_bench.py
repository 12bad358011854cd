"""Benchmark the respondent import pipeline against two baselines measured in the same run.

    python bench/import_bench.py [--rows N] [--baseline-rows M] [--without-external-ref]

Needs PostgreSQL (``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/census_bench``;
the database is created and migrated when missing). It writes a realistic CSV file
(``;``-separated UTF-8 with BOM, dd.mm.yyyy dates, about 6% of people without an IIN,
every column of ``respondents.row_schema``, each person with the institution's own number
in ``external_ref`` unless ``--without-external-ref``),
imports it through the pipeline (``import_job_run``: read, validate, stage each batch
with COPY and write it with ``INSERT ... SELECT``), then loads the same file into
identical tables with django-import-export (``ModelResource``, ``use_bulk=True,
batch_size=1000``) and with a raw ``COPY``. The last line is::

    pipeline_rows_per_s=… vs_import_export_bulk=… vs_copy=… peak_rss_mb=…

where the ratios are the pipeline's rate divided by each baseline's, and ``peak_rss_mb`` is
the process's peak resident memory measured right after the pipeline (before the
baselines, which hold the whole file in memory).
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
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/census_bench"


def _header() -> list[str]:
    """The file's columns: every field of a row (``respondents.row_schema``), in its order."""
    from respondents.row_schema import FIELD_NAMES

    return list(FIELD_NAMES)


MALE = (["Ахметов", "Серікбаев", "Қасымов", "Петров", "Оспанов", "Жұмабаев", "Ким"],
        ["Бауыржан", "Дәурен", "Мұрат", "Сергей", "Ерлан", "Іліяс", "Асқар"],
        ["Серікұлы", "Иванович", "Қайратұлы", "", "Болатович"])  # fmt: skip
FEMALE = (["Жұмабаева", "Нұрланова", "Иванова", "Ермекова", "Әлиева", "Сәрсенова"],
          ["Айгүл", "Гүлнар", "Елена", "Жанар", "Толқын", "Ұлжан", "Әсем"],
          ["Серікқызы", "Ивановна", "Қайратқызы", "", "Болатовна"])  # fmt: skip
DAYS = 34_000


def write_file(path: Path, rows: int, seed: int = 2021, *, references: bool = True) -> None:
    """A list as an institution's system would export it; every row valid and unique."""
    from census_coord.kz_ids import with_check_digit

    header = _header()
    rng = random.Random(seed)
    start = dt.date(1925, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for number in range(rows):
            born = start + dt.timedelta(days=(number * 113) % DAYS)
            cycle = number // DAYS
            female = number % 2 == 1
            surnames, names, patronymics = FEMALE if female else MALE
            sex = "female" if female else "male"
            citizenship, country, iin, reason = "citizen", "", "", ""
            if number % 17 == 0:
                citizenship, country = "foreign", "Ресей"
                reason = "шетел азаматы"
            else:
                century = (3 if born.year < 2000 else 5) + female
                serial = number // DAYS * 2
                while (iin := with_check_digit(f"{born:%y%m%d}{century}{serial:04d}")) is None:
                    serial += 1
            person = {
                # Without an IIN, names and birth date must differ from row to row.
                "surname": surnames[cycle % len(surnames)] if not iin else rng.choice(surnames),
                "given_name": (
                    names[cycle // len(surnames) % len(names)] if not iin else rng.choice(names)
                ),
                "patronymic": rng.choice(patronymics),
                "birth_date": born.strftime("%d.%m.%Y"),
                "sex": sex,
                "citizenship": citizenship,
                "citizenship_country": country,
                "iin": iin,
                "iin_absent_reason": reason,
                "residence_status": rng.choice(
                    ["permanent"] * 8 + ["temporarily_absent", "temporarily_present"]
                ),
                "unit": str(rng.randint(1, 400)),
                # The institution's own record number, as its system exports it.
                "external_ref": f"R{number + 1:07d}" if references else "",
            }
            # A column of the schema the bench has no value for is written empty.
            writer.writerow([person.get(name, "") for name in header])


def _setup() -> None:
    from bench.common import django_setup

    django_setup(DEFAULT_DB)
    from django.conf import settings
    from django.core.management import call_command

    # A million realistic rows are ~100 MB: the bench lifts the upload limits.
    settings.RESPONDENT_IMPORT_MAX_BYTES = 2**40
    settings.RESPONDENT_IMPORT_MAX_ROWS = 10**8
    call_command("migrate", verbosity=0)


def _fixtures():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role, sync_role_groups
    from census_coord.kz_ids import with_check_digit
    from institutions.models import District, Institution, InstitutionType
    from institutions.selectors import campaign_get_active
    from respondents.models import RespondentList

    sync_role_groups()
    user, _created = User.objects.get_or_create(username="bench_department")
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT))
    serial = 1
    while (bin_ := with_check_digit(f"99124099{serial:03d}")) is None:
        serial += 1
    institution, _created = Institution.objects.get_or_create(
        bin=bin_,
        defaults={
            "name_kk": "Бенчмарк мекемесі",
            "name_ru": "Учреждение для замеров",
            "type": InstitutionType.objects.order_by("position").first(),
            "district": District.objects.order_by("code").first(),
        },
    )
    respondent_list, _created = RespondentList.objects.get_or_create(
        institution=institution, campaign=campaign_get_active()
    )
    _remove_rows(respondent_list.pk)
    respondent_list.import_jobs.all().delete()
    return user, respondent_list


def _remove_rows(respondent_list_id: int) -> None:
    """The bench list's rows, in one statement (the ORM would collect a million objects)."""
    from django.db import connection

    from respondents.models import Respondent

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Respondent._meta.db_table} WHERE respondent_list_id = %s",  # noqa: S608
            [respondent_list_id],
        )
    # Leave no dead rows behind for the next run's inserts to wade through.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Respondent._meta.db_table}")


def bench_pipeline(path: Path, user, respondent_list) -> float:
    from respondents.importing.services import import_job_create, import_job_run

    with path.open("rb") as handle:
        job = import_job_create(
            actor=user,
            respondent_list=respondent_list,
            upload=handle,
            file_name=path.name,
            enqueue=False,
        )
    started = time.perf_counter()
    job = import_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    assert job.state == "succeeded", (job.message, job.errors_preview[:3])
    print(f"pipeline: {job.rows_added} rows in {elapsed:.1f}s", flush=True)
    job.file.delete(save=False)
    return job.rows_added / elapsed


def _clone_table(name: str) -> None:
    from django.db import connection

    from respondents.models import Respondent

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TABLE {name} (LIKE {Respondent._meta.db_table} INCLUDING ALL)")


def bench_import_export(path: Path, respondent_list_id: int, limit: int) -> float:
    """django-import-export's bulk path into an identical table (the same file, or its head)."""
    import tablib
    from django.db import models
    from import_export import fields, resources, widgets

    from respondents.models import Respondent

    table = "bench_respondent_import_export"
    _clone_table(table)
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"db_table": table, "managed": False, "app_label": "respondents"}),
        "respondent_list_id": models.BigIntegerField(),
        "search_text": models.CharField(max_length=400, blank=True),
        "created_at": models.DateTimeField(auto_now_add=True),
        "updated_at": models.DateTimeField(auto_now=True),
        "departure_reason": models.CharField(max_length=8, blank=True),
    }
    header = _header()
    for name in header:
        field = Respondent._meta.get_field(name)
        attrs[name] = field.clone()
    model = type("BenchImportExportRespondent", (models.Model,), attrs)

    class Resource(resources.ModelResource):
        birth_date = fields.Field(
            attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget("%d.%m.%Y")
        )

        class Meta:
            fields = header
            # The file has no id column: every row is a new instance (the two lines below
            # only say so); otherwise the resource is as shipped: bulk, batches of 1000.
            import_id_fields = ()
            use_bulk = True
            batch_size = 1000
            force_init_instance = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.respondent_list_id = respondent_list_id

    Resource._meta.model = model
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        dataset = tablib.Dataset(headers=header)
        for index, row in enumerate(reader):
            if index >= limit:
                break
            dataset.append(row)
    result = Resource().import_data(dataset, dry_run=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    assert not result.has_validation_errors()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant name
        count = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {table}")
    print(f"django-import-export bulk: {count} rows in {elapsed:.1f}s", flush=True)
    return count / elapsed


def bench_copy(path: Path, respondent_list_id: int) -> float:
    """Raw COPY of the file into an identical table: the ceiling for any loader."""
    from django.db import connection, transaction

    from respondents.row_schema import DATE_FIELDS

    header = _header()
    # Text columns: an empty cell is '' (not NULL), as the pipeline stores it.
    not_null = ", ".join(name for name in header if name not in DATE_FIELDS)
    table = "bench_respondent_copy"
    _clone_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {table} ALTER respondent_list_id SET DEFAULT {int(respondent_list_id)},"
            " ALTER created_at SET DEFAULT now(), ALTER updated_at SET DEFAULT now(),"
            " ALTER search_text SET DEFAULT '', ALTER departure_reason SET DEFAULT ''"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as raw:
        cursor.execute("SET LOCAL datestyle = 'ISO, DMY'")
        raw.read(3)  # the BOM
        cursor.copy_expert(
            f"COPY {table} ({', '.join(header)}) FROM STDIN "
            f"WITH (FORMAT csv, HEADER true, DELIMITER ';', FORCE_NOT_NULL ({not_null}))",
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
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--without-external-ref",
        action="store_true",
        help="leave the external reference column empty (a list without the institution's numbers)",
    )
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=0,
        help="rows of the file django-import-export loads (default: all; it holds them in memory)",
    )
    args = parser.parse_args()
    _setup()
    user, respondent_list = _fixtures()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "respondents.csv"
        write_file(path, args.rows, references=not args.without_external_ref)
        print(f"file: {args.rows} rows, {path.stat().st_size / 2**20:.1f} MB", flush=True)
        pipeline = bench_pipeline(path, user, respondent_list)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        copy = bench_copy(path, respondent_list.pk)
        import_export = bench_import_export(
            path, respondent_list.pk, args.baseline_rows or args.rows
        )
    _remove_rows(respondent_list.pk)
    print(
        f"pipeline_rows_per_s={pipeline:.0f} vs_import_export_bulk={pipeline / import_export:.1f}x "
        f"vs_copy={pipeline / copy:.2f} peak_rss_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
