"""Where one page's time goes, in this process: wall, CPU and SQL of the main pages.

Usage, against a database ``bench/pages_bench.py`` filled (it also made the users)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/census_pages_bench \
        .venv/bin/python bench/page_cpu.py --only readiness_board,reconciliation

Production settings (``DEBUG`` off, the cached template loader), the bench's officer and
Department signed in with ``Client.force_login``. Per page: three warm-up requests, then
``--samples`` requests timed by the wall clock and by the process's CPU time
(``time.process_time``: Python, template rendering and the database driver, not the
server's work), then as many again with the queries captured (their number, and the sum
of their times as the driver saw them). Each line gives the medians; the CPU time is the
steadier figure on a shared machine. ``--freeze`` freezes the collector's objects once
the app is loaded, as ``census_coord.wsgi`` does in the server. ``--profile NAME`` prints
the top of a cProfile of that page's requests instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/census_pages_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--profile", default="", help="profile this page instead")
    parser.add_argument(
        "--freeze", action="store_true", help="gc.freeze() once loaded, as census_coord.wsgi does"
    )
    args = parser.parse_args()

    from bench.common import production_in_process

    production_in_process(DEFAULT_URL, "page-cpu")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.pages_bench import World, pages

    # No ``setup_test_environment``: its instrumented rendering copies every template's
    # context for ``response.context``, which would be counted as the page's CPU.
    officer = User.objects.get(username="bench-officer")
    department = User.objects.get(username="bench-department")
    world = World("officer", "department", officer.institution.respondent_lists.get().pk)
    clients = {}
    for role, user in (("officer", officer), ("department", department)):
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="kk")
        clients[role].force_login(user)
    if args.freeze:
        import gc

        gc.freeze()
    wanted = set(filter(None, args.only.split(","))) | ({args.profile} - {""})
    for name, path, role in pages(world):
        if (wanted and name not in wanted) or role is None:
            continue
        client = clients[role]

        def get(path: str = path, client: Client = client) -> None:
            response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)

        for _n in range(3):
            get()
        if name == args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _n in range(args.samples):
                get()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(
                int(os.environ.get("PROFILE_TOP", "45"))
            )
            continue
        walls, cpus, counts, sql = [], [], [], []
        for _n in range(args.samples):
            wall, cpu = time.perf_counter(), time.process_time()
            get()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        for _n in range(args.samples):
            with CaptureQueriesContext(connection) as captured:
                get()
            counts.append(len(captured))
            sql.append(sum(float(q["time"]) for q in captured) * 1000)
        print(
            f"page={name} wall_ms={statistics.median(walls):.1f} "
            f"cpu_ms={statistics.median(cpus):.1f} sql_ms={statistics.median(sql):.1f} "
            f"queries={statistics.median(counts):.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
