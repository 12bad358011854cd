"""The one clock of the product: every "today" and "now" of a census event comes from here.

It is the real time, unless the deployment fixes a census date with ``CENSUS_TODAY``
(``YYYY-MM-DD``, settings ``CENSUS_TODAY``) for demos and training. With a fixed date the
product behaves as on that day of the campaign: windows are open or closed, tablets are
stale, reminders are due and items overdue as they would be then; every page says so in its
header (``census_coord.context_processors.census_date``).

``wall_now()`` is the real time whatever the setting, for what must measure real elapsed
time or match times written by Django itself: the audit trail, sessions, token use,
password-reset limits and the import supervision (heartbeats, stalls).

Without a fixed date everything reads ``django.utils.timezone.now`` at call time, so tests
that freeze time (time-machine) keep working.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def census_date() -> dt.date | None:
    """The fixed census date of the deployment, or ``None`` for the real date."""
    value = getattr(settings, "CENSUS_TODAY", None)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def wall_now() -> dt.datetime:
    """The real time (aware), ignoring a fixed census date."""
    return timezone.now()


def now() -> dt.datetime:
    """The current moment (aware, UTC).

    With a fixed census date it is that date combined with the real local time of day: the
    date is the census date, while events of one session still follow one another in order
    (a list submitted, then accepted a minute later), which a single frozen instant would
    not give. Across local midnight the time of day starts again on the same date.
    """
    fixed = census_date()
    current = timezone.now()
    if fixed is None:
        return current
    local = timezone.localtime(current)
    return timezone.make_aware(dt.datetime.combine(fixed, local.time().replace(tzinfo=None)))


def today() -> dt.date:
    """Today's date in the project's time zone (``TIME_ZONE``), or the fixed census date."""
    fixed = census_date()
    if fixed is not None:
        return fixed
    return timezone.localdate(timezone.now())
