"""The frame every signed-in page pays: the 404 page's CPU, calls and queries, in this process.

Usage, against a copy of the database ``bench/pages_bench.py`` filled (it made the users)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/census_pages_bench \
        DATABASE_CONN_MAX_AGE=60 .venv/bin/python bench/frame_cpu.py

The signed-in 404 page (``GET /reminders/``: nothing of its own but two sentences, so all
of it is the frame: session, user, context processors, header, middleware) as the
Department and as the officer, and ``/healthz`` anonymous, the floor every request pays.
Production settings, the cached template loader, ``gc.freeze()`` once loaded as
``census_coord.wsgi`` does. Per request kind: warm-up requests, then ``--samples``
requests timed by the process's CPU time (``time.process_time``), then a cProfile of the
same requests for the exact number of Python calls each, and their queries. ``--html DIR``
writes each of a few pages' HTML (both users) to DIR instead, with the per-request tokens
(CSRF, CSP nonce) blanked, to compare two checkouts byte for byte.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/census_pages_bench"
TOKENS = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")|(nonce=")[^"]*(")')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--html", default="", help="write the pages' HTML to this folder")
    parser.add_argument("--profile", default="", help="print this request's cProfile top")
    args = parser.parse_args()

    from bench.common import production_in_process

    production_in_process(DEFAULT_URL, "frame-cpu")
    import gc

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.pages_bench import World, pages

    officer = User.objects.get(username="bench-officer")
    department = User.objects.get(username="bench-department")
    clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="kk")}
    for role, user in (("officer", officer), ("department", department)):
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="kk")
        clients[role].force_login(user)
    gc.freeze()

    if args.html:
        world = World("officer", "department", officer.institution.respondent_lists.get().pk)
        folder = Path(args.html)
        folder.mkdir(parents=True, exist_ok=True)
        extra = [
            ("404", "/reminders/", "officer"),
            ("404", "/reminders/", "department"),
            ("notifications", "/reminders/notifications/", "officer"),
            ("notifications", "/reminders/notifications/", "department"),
            ("login", "/accounts/login/", "anonymous"),
            ("404", "/reminders/", "anonymous"),
        ]
        for name, path, role in [*pages(world), *extra]:
            for who in [role] if role else ["anonymous", "department"]:
                response = clients[who].get(path, secure=True)
                body = TOKENS.sub(rb"\1\2\3\4", response.content)
                # The CSP's directives in a stable order: django-csp joins them in the
                # order of a set of strings, which changes with each process's hash seed.
                headers = "".join(
                    f"{key}: {'; '.join(sorted(value.split('; '))) if 'Policy' in key else value}\n"
                    for key, value in sorted(response.headers.items())
                    if key not in {"Set-Cookie", "Expires"}
                )
                headers = re.sub(r"'nonce-[^']*'", "'nonce-'", headers)
                (folder / f"{name}-{who}.html").write_bytes(
                    f"{response.status_code}\n{headers}\n".encode() + body
                )
        return

    requests = [
        ("404_department", "/reminders/", "department", 404),
        ("404_officer", "/reminders/", "officer", 404),
        ("healthz_anonymous", "/healthz", "anonymous", 200),
    ]
    for name, path, who, status in requests:
        client = clients[who]

        def get(path: str = path, client: Client = client, status: int = status) -> None:
            response = client.get(path, secure=True)
            assert response.status_code == status, (path, response.status_code)

        for _n in range(5):
            get()
        cpus = []
        for _n in range(args.samples):
            cpu = time.process_time()
            get()
            cpus.append((time.process_time() - cpu) * 1000)
        profile = cProfile.Profile()
        profile.enable()
        for _n in range(10):
            get()
        profile.disable()
        stats = pstats.Stats(profile)
        calls = stats.total_calls // 10  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as captured:
            get()
        print(
            f"request={name} cpu_ms_median={statistics.median(cpus):.2f} "
            f"cpu_ms_min={min(cpus):.2f} calls={calls} queries={len(captured)}",
            flush=True,
        )
        if name == args.profile:
            stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(
                int(os.environ.get("PROFILE_TOP", "60"))
            )
            for query in captured:
                print(query["sql"][:300])


if __name__ == "__main__":
    main()
