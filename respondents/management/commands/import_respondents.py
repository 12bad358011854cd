"""Import a CSV or XLSX file of respondents into an institution's list, all rows or none.

    python manage.py import_respondents PATH --institution BIN [--mode append|replace]
                                             [--user USERNAME]

Runs the same pipeline as the upload page and the API, in this process. Exit status 0 when
the file was imported, 1 when it was refused (the errors are printed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from census_coord.errors import service_error_message
from institutions.models import Institution
from institutions.selectors import campaign_get_active
from respondents.importing.reports import job_errors
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportMode, ImportSource, ImportState
from respondents.services import respondent_list_open

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of respondents into an institution's list (all or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--institution", required=True, help="BIN of the institution")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.APPEND)
        parser.add_argument(
            "--user",
            help="who imports (recorded on the job); default: the first active superuser",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        institution = Institution.objects.filter(bin=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No institution with BIN {options['institution']}")
        actor = self._actor(options["user"])
        try:
            respondent_list = respondent_list_open(
                actor=actor, institution=institution, campaign=campaign_get_active()
            )
            with path.open("rb") as handle:
                job = import_job_create(
                    actor=actor,
                    respondent_list=respondent_list,
                    upload=handle,
                    file_name=path.name,
                    mode=options["mode"],
                    source=ImportSource.COMMAND,
                    enqueue=False,
                )
        except PermissionDenied as error:
            raise CommandError(f"{actor} may not change this list") from error
        except ValidationError as error:
            raise CommandError(service_error_message(error)) from error
        job = import_job_run(job_id=job.pk)
        if job.state == ImportState.SUCCEEDED:
            self.stdout.write(
                f"imported: rows={job.rows_total} added={job.rows_added} "
                f"already_on_list={job.rows_skipped} replaced={job.rows_removed}"
            )
            self.stdout.write(job.message)
            return
        for row_error in job_errors(job)[:SHOWN_ERRORS]:
            row = row_error["row"] if row_error["row"] is not None else "-"
            column = " ".join(filter(None, (row_error.get("letter"), row_error.get("column"))))
            self.stderr.write(
                f"row {row} {column or '-'} {row_error['code']}: {row_error['message']}"
            )
        if job.error_count > SHOWN_ERRORS:
            self.stderr.write(f"... {job.error_count - SHOWN_ERRORS} more errors")
        raise CommandError(f"{job.get_state_display()}: {job.message} (job {job.pk})")

    def _actor(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Give --user: an active user who may change the list.")
        return actor
