"""Project-wide Celery tasks."""

from celery import shared_task
from django.db import connection


@shared_task(name="census_coord.ping")
def ping() -> dict[str, object]:
    """Answer with the database vendor the worker sees; harmless to run any number of times."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"pong": True, "database": connection.vendor}
