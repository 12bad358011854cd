"""Demo reminders: the 2021 timeline's reminders, sent in-app only.

The days come from the campaign's records (its seminars, the list deadline, the kit
return deadline), and emails go to a dummy backend so that seeding prints no mail. The
digest is the one of the last of those days. Runs once: a database that has any reminder is
left alone (reminders are unique per recipient, kind, object and due date anyway).
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import get_connection

from census_coord import clock
from census_coord.demo import DemoContext
from institutions.models import Campaign
from reminders.models import Notification, Reminder
from reminders.services import department_digest_evaluate, reminders_deliver, reminders_evaluate


def seed(context: DemoContext) -> None:
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        return
    if Reminder.objects.exists():
        # Seeded before (or sent for real since): replaying the 2021 days over what users
        # changed meanwhile would remind people of things they never saw coming.
        context.say(f"Reminders: {Reminder.objects.count()}; already seeded.")
        return
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    one_day = dt.timedelta(days=1)
    list_deadline = campaign.list_submission_deadline
    days = sorted(
        {
            seminar.date - dt.timedelta(days=lead)
            for seminar in campaign.seminars.all()
            for lead in (7, 1)
        }
        | {list_deadline - dt.timedelta(days=lead) for lead in (7, 3, 1)}
        | {list_deadline + one_day, campaign.kit_return_deadline + one_day}
    )
    today = clock.today()
    if today <= campaign.kit_return_deadline + one_day:
        # A census date inside the campaign (make run): today's reminders too, such as the
        # tablets not syncing during the tablet window.
        days = sorted({*days, today})
    # A day still ahead of the census date has nothing to show yet.
    days = [d for d in days if d <= today]
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
