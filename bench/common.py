"""What every benchmark does first: point Django at a PostgreSQL database of its own."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlparse


def ensure_database(url: str) -> None:
    """Create the benchmark's database when it does not exist yet."""
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password or "",
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def django_setup(default_url: str) -> str:
    """Use ``DATABASE_URL`` (PostgreSQL only) or ``default_url``; create it; start Django."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or default_url
    if not url.startswith("postgres"):
        sys.exit("The benchmarks need PostgreSQL: set DATABASE_URL.")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    ensure_database(url)
    import django

    django.setup()
    return url


def production_in_process(default_url: str, name: str) -> str:
    """``django_setup`` under production settings for requests made in this process
    (``django.test.Client``): a throwaway secret key, the test client's host, no start-up
    database checks, tasks in-process. The environment's own values win."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.production")
    os.environ.setdefault("DJANGO_SECRET_KEY", f"{name}-not-a-secret-in-process-only-" + "x" * 24)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_STARTUP_DATABASE_CHECKS", "false")
    os.environ.setdefault("CELERY_BROKER_URL", "")
    return django_setup(default_url)
