"""Reminder kinds of this app: an upcoming seminar for staff who have not attended one (¶6).

See ``reminders.registry`` for the contract: ``due(campaign, today)`` answers for every
institution at once, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from institutions.models import (
    Campaign,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
    attended_campaign_seminar,
)
from reminders.models import MAX_LEAD_DAYS
from reminders.registry import Due, ReminderKind, ctx_date, ctx_text


def _upcoming_seminar_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """Every seminar ahead, for every institution with active staff not yet trained."""
    seminars = list(
        Seminar.objects.filter(
            campaign=campaign,
            date__gte=today,
            date__lte=today + dt.timedelta(days=MAX_LEAD_DAYS),
        ).order_by("date", "pk")
    )
    if not seminars:
        return
    trained = SeminarAttendance.objects.filter(
        attended_campaign_seminar(campaign), staff=OuterRef("pk")
    )
    untrained = list(
        ResponsibleStaff.objects.filter(is_active=True, institution__is_active=True)
        .filter(~Exists(trained))
        .order_by()
        .values("institution_id")
        .annotate(count=Count("pk"))
        .values_list("institution_id", "count")
    )
    path = reverse("institutions:officer_home")
    for seminar in seminars:
        place = ctx_text(_("online")) if seminar.is_online else seminar.place
        for institution_id, count in untrained:
            yield Due(
                object=seminar,
                deadline=seminar.date,
                institution_id=institution_id,
                context={
                    "date": ctx_date(seminar.date),
                    "place": place,
                    "topics": seminar.topics,
                    "untrained": count,
                },
                path=path,
            )


KINDS = [
    ReminderKind(
        code="seminar_upcoming",
        label=_("Upcoming seminar for staff not yet trained"),
        subject=_("Census seminar on %(date)s"),
        body=_(
            "The Department holds a census seminar on %(date)s (%(place)s). Topics: "
            "%(topics)s. Responsible staff of your institution who have not attended a "
            "seminar yet: %(untrained)s. Please make sure they attend."
        ),
        due=_upcoming_seminar_due,
        default_lead_days=(7, 1),
    )
]
