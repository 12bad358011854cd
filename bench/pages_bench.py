"""Main pages at national scale, served by gunicorn as in production, against ``/healthz``.

Usage (a dedicated database per scale; created, migrated and filled when empty)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/census_pages_bench \
        .venv/bin/python bench/pages_bench.py --scale 0.01

The data set: 17 regions (Akmola's districts from the reference data, sixteen more with
twelve districts each), 5,000 institutions spread over the districts, one list each (most
accepted, some submitted, draft or returned), 1,000,000 respondents (``--scale`` multiplies
institutions and respondents), an outcome for 70 % of the people on accepted lists, one
responsible staff member for every other institution. Rows are generated in PostgreSQL
(``INSERT … SELECT generate_series``: no row passes through Python), then the progress
counters are recounted once with ``progress_rebuild`` (they bypass the services).

The app runs under gunicorn (``census_coord.settings.production``, ``--workers``, 4 by
default, persistent database connections) on a private loopback port. Two signed-in
sessions are made directly in the session table: an officer of an Akmola institution with
an accepted list, and the Akmola Department (region-scoped, as the app is deployed). For
``/healthz`` and then each page the script prints the median and p95 of one connection
(``--samples`` sequential requests), the throughput of ``--connections`` concurrent
connections for ``--seconds`` (at most ``--max-requests``), and each as a ratio to
``/healthz`` measured in the same run. A page's median is compared with the median of a
block of ``/healthz`` requests made right before its own samples (the same machine state,
which on a shared machine drifts by a factor of two within a minute; a block, not one
request before each, since a request right after a page's meets that page's leftover work);
``median_vs_first_healthz`` compares it with the first ``/healthz`` run instead, which is
also the throughput baseline. Any status but 200 counts as an error. The last line is
``worst_page=… worst_vs_healthz=… worst_vs_first_healthz=…`` (the page whose median is the
largest multiple of its paired ``/healthz``; target ≤ 20, with 0 errors).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/census_pages_bench"
# The same key signs the sessions made here and those gunicorn checks; loopback only.
SECRET_KEY = "pages-bench-not-a-secret-loopback-only-" + "x" * 24
INSTITUTIONS = 5_000
RESPONDENTS = 1_000_000
REGIONS = 17
DISTRICTS_PER_REGION = 12

REGIONS_SQL = """
INSERT INTO institutions_region (code, name_kk, name_ru, name_en)
SELECT 'bench-r' || lpad(r::text, 2, '0'), 'Облыс ' || r, 'Область ' || r, 'Region ' || r
FROM generate_series(2, %(regions)s) r
ON CONFLICT (code) DO NOTHING;

INSERT INTO institutions_district (region_id, code, kind, name_kk, name_ru, name_en)
SELECT g.id, g.code || '-d' || d, 'district', 'Аудан ' || d, 'Район ' || d, 'District ' || d
FROM institutions_region g, generate_series(1, %(districts)s) d
WHERE g.code LIKE 'bench-r%%'
ON CONFLICT (code) DO NOTHING;
"""

FILL_SQL = """
INSERT INTO institutions_institution
    (bin, name_kk, name_ru, type_id, district_id, address, head_name, head_position, phone,
     email, expected_residents, preferred_methods, is_active, created_at, updated_at)
SELECT '8' || lpad(g::text, 11, '0'), 'Мекеме ' || g, 'Учреждение ' || g,
       (SELECT array_agg(id ORDER BY id) FROM institutions_institutiontype)[1 + g %% 16],
       (SELECT array_agg(id ORDER BY id) FROM institutions_district)
           [1 + g %% (SELECT count(*) FROM institutions_district)],
       '', '', '', '', '', %(per_list)s, '[]'::jsonb, true, now(), now()
FROM generate_series(1, %(institutions)s) g;

INSERT INTO institutions_responsiblestaff
    (institution_id, full_name, position, position_ru, phone, email, order_number, order_date,
     appointed_by, active_from, active_to, is_active, census_role, report_state,
     review_comment, campaign_id)
SELECT i.id, 'Қызметкер ' || i.id, '', '', '', '', '', NULL, '', NULL, NULL, true, '',
       'confirmed', '', %(campaign)s
FROM institutions_institution i WHERE i.id %% 2 = 0;

INSERT INTO respondents_respondentlist
    (institution_id, campaign_id, status, review_comment, submitted_at, accepted_at,
     created_at, updated_at)
SELECT i.id, %(campaign)s,
       CASE WHEN i.id %% 100 < 85 THEN 'accepted' WHEN i.id %% 100 < 93 THEN 'submitted'
            WHEN i.id %% 100 < 98 THEN 'draft' ELSE 'returned' END,
       '', now(), now(), now(), now()
FROM institutions_institution i;

INSERT INTO respondents_respondent
    (respondent_list_id, surname, given_name, patronymic, birth_date, sex, citizenship,
     citizenship_country, iin, iin_absent_reason, residence_status, unit, note, arrived_on,
     departed_on, departure_reason, search_text, created_at, updated_at)
SELECT l.id, 'Фамилия' || g, 'Аты', '',
       date '1940-01-01' + (g %% 25000), CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END,
       'citizen', '', '', '', 'permanent', (g %% 60)::text, '',
       CASE WHEN g %% 150 = 0 THEN date '2021-07-01' END,
       CASE WHEN g %% 100 = 0 THEN date '2021-08-15' END,
       CASE WHEN g %% 100 = 0 THEN 'left' ELSE '' END,
       'фамилия' || g, now(), now()
FROM generate_series(1, %(respondents)s) g
JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM respondents_respondentlist) l
  ON l.n = 1 + (g - 1) / %(per_list)s;

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
JOIN respondents_respondentlist l ON l.id = r.respondent_list_id AND l.status = 'accepted'
WHERE r.id %% 10 < 7;
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(scale: float) -> None:
    """Generate the data set once; a database already holding it is reused as it is."""
    from django.db import connection

    from enumeration.progress_services import progress_rebuild
    from institutions.models import Campaign, Institution

    institutions = max(17, round(INSTITUTIONS * scale))
    respondents = max(institutions, round(RESPONDENTS * scale))
    existing = Institution.objects.count()
    if existing:
        if existing != institutions:
            sys.exit(
                f"The database holds {existing} institutions, not {institutions}: use a new one."
            )
        log(f"reusing {existing} institutions")
        return
    campaign = Campaign.objects.get(is_active=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(REGIONS_SQL, {"regions": REGIONS, "districts": DISTRICTS_PER_REGION})
        cursor.execute(
            FILL_SQL,
            {
                "institutions": institutions,
                "respondents": respondents,
                "per_list": respondents // institutions,
                "campaign": campaign.pk,
            },
        )
    filled = time.perf_counter()
    progress_rebuild(campaign=campaign)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(
        f"filled institutions={institutions} respondents={respondents} "
        f"in {filled - started:.1f}s, counters in {time.perf_counter() - filled:.1f}s"
    )


@dataclass
class World:
    officer_session: str
    department_session: str
    list_pk: int


def sessions() -> World:
    """An officer of an Akmola institution with an accepted list, and the Akmola Department,
    each with a session made as a sign-in makes it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from accounts.roles import Role
    from institutions.models import Region
    from respondents.models import RespondentList

    akmola = Region.objects.get(code="akmola")
    respondent_list = (
        RespondentList.objects.filter(
            status="accepted", institution__district__region=akmola, institution__is_active=True
        )
        .order_by("pk")
        .first()
    )
    officer, _created = User.objects.update_or_create(
        username="bench-officer", defaults={"institution": respondent_list.institution}
    )
    officer.groups.add(Group.objects.get(name=Role.OFFICER))
    department, _created = User.objects.update_or_create(
        username="bench-department", defaults={"region": akmola}
    )
    department.groups.add(Group.objects.get(name=Role.DEPARTMENT))

    def session_for(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    return World(session_for(officer), session_for(department), respondent_list.pk)


def pages(world: World) -> list[tuple[str, str, str | None]]:
    """(name, path, session) of every main page, as the officer or the Department."""
    officer, department = world.officer_session, world.department_session
    return [
        ("healthz", "/healthz", None),
        ("officer_home", "/institutions/mine/", officer),
        ("officer_list", f"/lists/{world.list_pk}/", officer),
        ("worklist", "/lists/stage2/enumeration/", officer),
        ("readiness_board", "/institutions/department/", department),
        ("lists_board", "/lists/board/", department),
        ("dashboard", "/lists/stage2/progress/", department),
        ("reconciliation", "/lists/stage2/progress/reconciliation/", department),
        ("sync_board", "/sync/", department),
        ("institutions_api", "/api/v1/institutions/", department),
        ("list_rows_api", f"/api/v1/respondent-lists/{world.list_pk}/respondents/", officer),
    ]


class Client:
    """One request on a fresh loopback connection (gunicorn's sync workers close each one)."""

    def __init__(self, port: int, path: str, session: str | None, cookie_name: str) -> None:
        self.port, self.path = port, path
        self.headers = {"X-Forwarded-Proto": "https", "Accept-Language": "kk"}
        if session:
            self.headers["Cookie"] = f"{cookie_name}={session}"

    def get(self) -> tuple[float, int]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", self.path, headers=self.headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        return time.perf_counter() - started, status


@dataclass
class Figures:
    median_ms: float
    p95_ms: float
    rps: float
    errors: int
    requests: int
    # ``/healthz`` sampled in a block right before this page's samples, so that the ratio
    # compares the two under the same machine state; the first ``/healthz`` run is the
    # throughput baseline.
    paired_healthz_ms: float = 0.0


def measure(
    client: Client,
    *,
    samples: int,
    connections: int,
    seconds: float,
    cap: int,
    healthz: Client | None = None,
) -> Figures:
    # Warm-up, concurrent so that every worker serves some: a worker's first requests pay
    # for imports, templates and query plans.
    warm = [threading.Thread(target=lambda: [client.get() for _n in range(3)]) for _n in range(8)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    timings, errors, paired = [], 0, []
    if healthz is not None:
        # A block of ``/healthz`` right before the page's samples, after a pause that lets
        # the previous page's workers finish their last requests: the same machine state
        # as the page's, and no page's leftover work counted as ``/healthz``'s.
        time.sleep(1.0)
        for _n in range(samples):
            elapsed, status = healthz.get()
            paired.append(elapsed * 1000)
            errors += status != 200
    for _n in range(samples):
        elapsed, status = client.get()
        timings.append(elapsed * 1000)
        errors += status != 200
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]

    done = [0]
    failed = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if done[0] >= cap:
                    return
                done[0] += 1
            _elapsed, status = client.get()
            if status != 200:
                with lock:
                    failed[0] += 1

    threads = [threading.Thread(target=loop) for _n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return Figures(
        statistics.median(timings),
        p95,
        done[0] / wall,
        errors + failed[0],
        done[0],
        statistics.median(paired) if paired else statistics.median(timings),
    )


def serve(port: int, workers: int, url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "",
        # A throwaway database the bench owns: no role split to check (a start-up cost only).
        "DJANGO_STARTUP_DATABASE_CHECKS": "false",
        "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="pages-bench-static-"),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "census_coord.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    probe = Client(port, "/healthz", None, "")
    for _n in range(150):
        if server.poll() is not None:
            sys.exit("gunicorn exited")
        if probe.get()[1] == 200:
            return server
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--port", type=int, default=18105)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=1000)
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()

    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    from bench.common import django_setup

    url = django_setup(DEFAULT_URL)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    fill(args.scale)
    world = sessions()
    from django.db import connection

    connection.close()  # the server's workers need the connections, not this process

    server = serve(args.port, args.workers, url)
    results: dict[str, Figures] = {}
    probe = Client(args.port, "/healthz", None, settings.SESSION_COOKIE_NAME)
    try:
        wanted = set(filter(None, args.only.split(",")))
        for name, path, session in pages(world):
            if wanted and name not in wanted and name != "healthz":
                continue
            client = Client(args.port, path, session, settings.SESSION_COOKIE_NAME)
            results[name] = figures = measure(
                client,
                samples=args.samples,
                connections=args.connections,
                seconds=args.seconds,
                cap=args.max_requests,
                healthz=probe if name != "healthz" else None,
            )
            base = results["healthz"]
            print(
                f"page={name} median_ms={figures.median_ms:.1f} p95_ms={figures.p95_ms:.1f} "
                f"rps_at_{args.connections}={figures.rps:.1f} "
                f"paired_healthz_ms={figures.paired_healthz_ms:.1f} "
                f"median_vs_healthz={figures.median_ms / figures.paired_healthz_ms:.1f} "
                f"median_vs_first_healthz={figures.median_ms / base.median_ms:.1f} "
                f"p95_vs_healthz={figures.p95_ms / base.p95_ms:.1f} "
                f"rps_vs_healthz={figures.rps / base.rps:.2f} "
                f"errors={figures.errors}/{figures.requests + args.samples}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    base = results["healthz"]

    def ratio(name: str) -> float:
        return results[name].median_ms / results[name].paired_healthz_ms

    worst = max(results, key=lambda name: (name != "healthz", ratio(name)))
    errors = sum(figures.errors for figures in results.values())
    print(
        f"worst_page={worst} worst_vs_healthz={ratio(worst):.1f} "
        f"worst_vs_first_healthz={results[worst].median_ms / base.median_ms:.1f} "
        f"errors={errors} scale={args.scale}"
    )


if __name__ == "__main__":
    main()
