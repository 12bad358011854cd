"""Stage-2 dashboard at scale: 1,000,000 respondents over 5,000 institutions.

Usage (a dedicated database; created and migrated when missing, filled once)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/census_bench6 \
        .venv/bin/python bench/dashboard_bench.py

Rows are generated in PostgreSQL with ``generate_series`` (a few seconds, no Python loop).
Because they bypass the services, the progress counters are then recounted with
``progress_rebuild`` (as ``manage.py progress_rebuild`` does); that recount is timed and
reported on its own, every run, and is not part of the dashboard's figure.
The dashboard's selectors (``progress_report`` + ``progress_daily``, as the page calls them
for a department user) are timed against one bare ``count(*)`` over the respondent table in
the same run; each figure is the median of several warm runs. The last line is
``dashboard_ms=… vs_count=… queries=…`` where ``vs_count`` is dashboard time / count time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INSTITUTIONS = 5_000
RESPONDENTS = 1_000_000
RUNS = 5
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/census_bench6"


FILL_SQL = """
INSERT INTO institutions_institution
    (bin, name_kk, name_ru, type_id, district_id, address, head_name, head_position, phone,
     email, expected_residents, preferred_methods, is_active, created_at, updated_at)
SELECT '8' || lpad(g::text, 11, '0'), 'Мекеме ' || g, 'Учреждение ' || g,
       (SELECT array_agg(id ORDER BY id) FROM institutions_institutiontype)[1 + g %% 16],
       (SELECT array_agg(id ORDER BY id) FROM institutions_district)
           [1 + g %% (SELECT count(*) FROM institutions_district)],
       '', '', '', '', '', 200, '[]'::jsonb, true, now(), now()
FROM generate_series(1, %(institutions)s) g;

INSERT INTO respondents_respondentlist
    (institution_id, campaign_id, status, review_comment, submitted_at, accepted_at,
     created_at, updated_at)
SELECT i.id, %(campaign)s, 'accepted', '', now(), now(), now(), now()
FROM institutions_institution i;

INSERT INTO respondents_respondent
    (respondent_list_id, surname, given_name, patronymic, birth_date, sex, citizenship,
     citizenship_country, iin, iin_absent_reason, residence_status, unit, note, arrived_on,
     departed_on, departure_reason, search_text, created_at, updated_at)
SELECT l.first_id + (g - 1) / %(per_list)s, 'Фамилия' || g, 'Аты', '',
       date '1940-01-01' + (g %% 25000), CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END,
       'citizen', '', '', '', 'permanent', (g %% 60)::text, '',
       CASE WHEN g %% 150 = 0 THEN date '2021-07-01' END,
       CASE WHEN g %% 100 = 0 THEN date '2021-08-15' END,
       CASE WHEN g %% 100 = 0 THEN 'left' ELSE '' END,
       'фамилия' || g, now(), now()
FROM generate_series(1, %(respondents)s) g,
     (SELECT min(id) AS first_id FROM respondents_respondentlist) l;

INSERT INTO respondents_enumeration
    (respondent_id, status, method, reason, reason_detail, enumerated_on, staff_id,
     tablet_kit_ref, registration_number, note, window_override_reason, window_override_by_id,
     updated_by_id, source, created_at, updated_at)
SELECT r.id,
       CASE WHEN r.id %% 20 = 0 THEN 'not_enumerated' ELSE 'enumerated' END,
       CASE WHEN r.id %% 20 = 0 THEN ''
            ELSE (ARRAY['online_self', 'online_assisted', 'tablet', 'admin_records'])[1 + r.id %% 4]
       END,
       CASE WHEN r.id %% 20 = 0 THEN 'refused' ELSE '' END,
       '', date '2021-09-01' + (r.id %% 40)::int, NULL, '', '', '', '', NULL, NULL, 'demo',
       now(), now()
FROM respondents_respondent r
WHERE r.id %% 10 < 7;
"""


def fill() -> None:
    from django.db import connection

    from institutions.models import Campaign
    from respondents.models import Respondent

    if Respondent.objects.count() >= RESPONDENTS:
        return
    campaign = Campaign.objects.get(is_active=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            FILL_SQL,
            {
                "institutions": INSTITUTIONS,
                "respondents": RESPONDENTS,
                "per_list": RESPONDENTS // INSTITUTIONS,
                "campaign": campaign.pk,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"filled in {time.perf_counter() - started:.1f}s", file=sys.stderr)


def rebuild() -> float:
    """Recount every progress counter from the filled rows; returns its time in ms."""
    from django.db import connection

    from enumeration.progress_services import progress_rebuild

    started = time.perf_counter()
    progress_rebuild()
    elapsed = (time.perf_counter() - started) * 1000
    # Fresh tables: statistics and visibility map, as autovacuum would set them after a bulk
    # write, so that the planner can answer the daily series from its index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE respondents_listprogress, respondents_dailyprogress")
    return elapsed


def median_ms(run, runs: int = RUNS) -> float:
    run()  # warm-up: caches and plans
    timings = []
    for _n in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    from bench.common import django_setup

    django_setup(DEFAULT_URL)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from enumeration import progress
    from institutions.models import Campaign

    call_command("migrate", verbosity=0)
    fill()
    rebuild_ms = rebuild()
    user, _created = User.objects.get_or_create(
        username="bench-department", defaults={"is_superuser": True, "is_staff": True}
    )
    campaign = Campaign.objects.get(is_active=True)

    def dashboard() -> None:
        report = progress.progress_report(user=user, campaign=campaign)
        progress.progress_daily(user=user, campaign=campaign)
        assert report.total.listed > 0

    def bare_count() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM respondents_respondent")
            cursor.fetchone()

    with CaptureQueriesContext(connection) as queries:
        dashboard()
    dashboard_ms = median_ms(dashboard)
    count_ms = median_ms(bare_count)
    report = progress.progress_report(user=user, campaign=campaign)
    print(
        f"institutions={len(report.institutions)} listed={report.total.listed} "
        f"enumerated={report.total.enumerated} count_ms={count_ms:.1f} "
        f"rebuild_ms={rebuild_ms:.0f}",
        file=sys.stderr,
    )
    print(
        f"dashboard_ms={dashboard_ms:.1f} vs_count={dashboard_ms / count_ms:.2f} "
        f"queries={len(queries)}"
    )


if __name__ == "__main__":
    main()
