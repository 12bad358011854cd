"""Celery tasks of the reminders app (queue ``reminders``; scheduled by beat).

Both are idempotent: a reminder is recorded once by a unique constraint and sent only
while unsent, so a re-delivered or doubly scheduled task sends nothing twice.
"""

from __future__ import annotations

from celery import shared_task

from census_coord import clock
from institutions.models import Campaign
from reminders.services import department_digest_evaluate, reminders_deliver, reminders_evaluate

# Far below the broker's visibility timeout, so Redis never re-delivers a running task.
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = 12 * 60


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def reminders_evaluate_and_send() -> dict[str, int]:
    """Record the reminders due today and send every unsent one (hourly). Idempotent."""
    today = clock.today()
    if not Campaign.objects.filter(is_active=True).exists():
        return {"due": 0, "sent": 0, "failed": 0}
    due = reminders_evaluate(today=today)
    result = reminders_deliver(today=today)
    return {"due": due, "sent": result.sent, "failed": result.failed}


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def department_digest_send() -> dict[str, int]:
    """Record and send today's digest of overdue institutions (daily). Idempotent."""
    today = clock.today()
    if not Campaign.objects.filter(is_active=True).exists():
        return {"due": 0, "sent": 0, "failed": 0}
    due = department_digest_evaluate(today=today)
    result = reminders_deliver(today=today)
    return {"due": due, "sent": result.sent, "failed": result.failed}
