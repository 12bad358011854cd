"""Demo reminders: the timeline's reminders up to the last seminar, sent in-app only.

The days come from the campaign's records (its seminars), and emails go to a dummy
backend so that seeding prints no mail. Idempotent: reminders are unique per recipient,
kind, object and due date, and sent ones are never sent again.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import get_connection

from census_coord.demo import DemoContext
from institutions.models import Campaign
from reminders.models import Notification, Reminder
from reminders.services import department_digest_evaluate, reminders_deliver, reminders_evaluate


def seed(context: DemoContext) -> None:
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        return
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    days = sorted(
        {
            seminar.date - dt.timedelta(days=lead)
            for seminar in campaign.seminars.all()
            for lead in (7, 1)
        }
    )
    for day in days:
        reminders_evaluate(today=day, campaign=campaign)
        reminders_deliver(today=day, connection=connection)
    if days:
        department_digest_evaluate(today=days[-1], campaign=campaign)
        reminders_deliver(today=days[-1], connection=connection)
    context.say(
        f"Reminders: {Reminder.objects.count()}, unread notifications: "
        f"{Notification.objects.filter(read_at__isnull=True).count()}."
    )
