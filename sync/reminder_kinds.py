"""Reminder kinds of this app: tablets not syncing during the tablet window, and USB
offloads still only on a Department employee's media (¶9).

Both ``due`` functions cover every institution in one query each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from census_coord import clock
from institutions.models import Campaign
from reminders.registry import Audience, Due, ReminderKind, ctx_date, ctx_name
from sync.selectors import (
    in_tablet_window,
    kits_not_syncing,
    stale_cutoff,
    usb_offloads_not_uploaded,
)


def _tablet_no_sync_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """During the tablet window: every kit out with no sync for ``SYNC_STALE_HOURS``.

    Due today (the tablet should sync now); the engine's exactly-once key includes the
    deadline, so a kit that stays silent is reminded once a day.
    """
    if not in_tablet_window(campaign, today):
        return
    for kit in kits_not_syncing(cutoff=stale_cutoff(clock.now())):
        institution = kit.holder_institution
        yield Due(
            object=kit,
            deadline=today,
            institution_id=kit.holder_institution_id,
            context={
                "kit": kit.inventory_number,
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),  # type: ignore[union-attr]  # kits_not_syncing: held kits only
                "last_sync": (
                    ctx_date(timezone.localdate(kit.last_received_at))
                    if kit.last_received_at
                    else "—"
                ),
            },
            path=reverse("sync:board"),
        )


def _usb_offload_not_uploaded_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """Every USB offload not yet uploaded to the census database, due the day after it
    was offloaded; the Department employees of the institution's region are reminded."""
    for record in usb_offloads_not_uploaded():
        institution = record.institution
        offloaded_on = timezone.localdate(record.offloaded_at)
        yield Due(
            object=record,
            deadline=offloaded_on + dt.timedelta(days=1),
            institution_id=record.institution_id,
            context={
                "kit": record.kit.inventory_number,
                "media": record.media_id,
                "offloaded_on": ctx_date(offloaded_on),
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),
            },
            path=reverse("sync:usb_offloads"),
        )


KINDS = [
    ReminderKind(
        code="tablet_no_sync",
        label=_("Tablet not syncing"),
        subject=_("Tablet %(kit)s has not synced"),
        body=_(
            "Tablet %(kit)s of %(institution)s has not sent its data to the census database "
            "recently (last sync: %(last_sync)s). Connect it to the VPN and sync, or hand its "
            "data to the Department by USB."
        ),
        overdue_subject=_("Tablet %(kit)s has not synced"),
        overdue_body=_(
            "Tablet %(kit)s of %(institution)s has not sent its data to the census database "
            "recently (last sync: %(last_sync)s). Connect it to the VPN and sync, or hand its "
            "data to the Department by USB."
        ),
        due=_tablet_no_sync_due,
        default_lead_days=(0,),
        default_send_overdue=False,
    ),
    ReminderKind(
        code="usb_offload_not_uploaded",
        label=_("USB offload not uploaded"),
        subject=_("USB offload of tablet %(kit)s is not uploaded"),
        body=_(
            "The data of tablet %(kit)s (%(institution)s) offloaded on %(offloaded_on)s onto "
            "media %(media)s has not been uploaded to the census database yet. Upload it by "
            "%(deadline)s."
        ),
        overdue_subject=_("USB offload of tablet %(kit)s is still not uploaded"),
        overdue_body=_(
            "The data of tablet %(kit)s (%(institution)s) offloaded on %(offloaded_on)s onto "
            "media %(media)s has still not been uploaded to the census database. It was due "
            "by %(deadline)s."
        ),
        due=_usb_offload_not_uploaded_due,
        audience=Audience.DEPARTMENT,
        default_lead_days=(0,),
        default_send_overdue=True,
    ),
]
