"""Reminder kinds of stage 2 (¶9.2): the online or the tablet window closing while listed
people are still pending.

See ``reminders.registry`` for the contract. A closed window is not overdue, so these
kinds yield nothing after it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enumeration.choices import EnumerationStatus
from enumeration.selectors import pending_by_institution
from institutions.models import Campaign, Institution
from reminders.registry import Due, ReminderKind, ctx_name


def _window_closing_due(campaign: Campaign, today: dt.date, closes_on: dt.date) -> Iterator[Due]:
    """Active institutions with listed people still pending, until the window closes.

    Nothing once it has closed: the window just ends, there is nothing left to do late
    (so no overdue reminder, and no line in the Department's digest either). Two queries:
    the grouped pending count, then the institutions' names.
    """
    if today > closes_on:
        return
    pending = pending_by_institution(campaign)
    if not pending:
        return
    institutions = Institution.objects.filter(pk__in=pending).only("pk", "name_kk", "name_ru")
    path = f"{reverse('enumeration:worklist')}?status={EnumerationStatus.PENDING}"
    for institution in institutions.order_by("pk"):
        yield Due(
            object=institution,
            deadline=closes_on,
            institution_id=institution.pk,
            context={
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),
                "pending": pending[institution.pk],
            },
            path=path,
        )


def _online_window_closing_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    return _window_closing_due(campaign, today, campaign.online_end)


def _tablet_window_closing_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    return _window_closing_due(campaign, today, campaign.tablet_end)


KINDS = [
    ReminderKind(
        code="online_window_closing",
        label=_("Online enumeration closing, people pending"),
        subject=_("Online enumeration closes on %(deadline)s; people still pending: %(pending)s"),
        body=_(
            "Online self-enumeration at sanaq.gov.kz closes on %(deadline)s (days left: "
            "%(days_left)s). Listed people of %(institution)s not enumerated yet: %(pending)s. "
            "Please help them fill in the census form online before then."
        ),
        due=_online_window_closing_due,
        default_lead_days=(7, 3, 1),
        default_send_overdue=False,
    ),
    ReminderKind(
        code="tablet_window_closing",
        label=_("Tablet interviews closing, people pending"),
        subject=_("Tablet interviews end on %(deadline)s; people still pending: %(pending)s"),
        body=_(
            "Census interviews on tablets end on %(deadline)s (days left: %(days_left)s). "
            "Listed people of %(institution)s not enumerated yet: %(pending)s. Please make sure "
            "they are interviewed, or their data is taken from the administration's records, "
            "before then."
        ),
        due=_tablet_window_closing_due,
        default_lead_days=(7, 3, 1),
        default_send_overdue=False,
    ),
]
