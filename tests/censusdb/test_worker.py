"""A real Celery worker takes a census-database export from Redis and imports it."""

from __future__ import annotations

import time

import pytest

from census_coord.celery import app
from censusdb import services
from censusdb.models import CensusExport
from enumeration.models import Enumeration
from tests.censusdb.helpers import export_file, form
from tests.enumeration.stage2 import accepted_list, people
from tests.respondents.test_import_worker import imports_worker  # noqa: F401  # the fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.celery_worker
def test_census_export_runs_on_a_real_worker_through_redis(
    department_user,
    institution_a,
    imports_worker,  # noqa: F811  # the fixture imported above
):
    persons = people(accepted_list(institution_a), 3)
    app.conf.task_always_eager = False
    try:
        # Enqueued after the commit, to the "imports" queue the worker reads.
        export = services.census_export_create(
            actor=department_user,
            file=export_file([form(f"W-{n}", p) for n, p in enumerate(persons)]),
            file_name="export.csv",
        )
        deadline = time.monotonic() + 90
        while not CensusExport.objects.get(pk=export.pk).is_finished:
            assert time.monotonic() < deadline, "the worker did not finish the export"
            time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    export.refresh_from_db()
    assert (export.state, export.rows_new, export.applied) == ("done", 3, 3), export.message
    assert Enumeration.objects.filter(respondent__in=persons, source="census").count() == 3
