"""Reminder kind of this app: tablet kits not returned to the Department after the census (¶8).

See ``reminders.registry`` for the contract: ``due(campaign, today)`` yields every act
with kits still out, for every institution at once in one query; the engine decides from
the campaign's return deadline and the kind's settings when to remind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equipment.models import HandoverAct
from equipment.selectors import kits_out_of_campaign
from institutions.models import Campaign
from reminders.registry import Due, ReminderKind, ctx_date, ctx_name


def _kits_not_returned_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """Every act of the campaign with kits still out, with how many are out.

    The officers of the holding institution are reminded; so is the staff member who
    received the kits when their account belongs elsewhere (an account of the same
    institution is one of its officers already).
    """
    out = kits_out_of_campaign(campaign=campaign)
    kits_out = (
        out.filter(act=OuterRef("pk"))
        .order_by()
        .values("act")
        .annotate(count=Count("pk"))
        .values("count")
    )
    acts = (
        HandoverAct.objects.filter(pk__in=out.values("act_id"))
        .annotate(kits_out=Subquery(kits_out, output_field=IntegerField()))
        .select_related("institution", "received_by", "received_by__user")
        .order_by("pk")
    )
    for act in acts:
        institution = act.institution
        due = Due(
            object=act,
            deadline=campaign.kit_return_deadline,
            institution_id=act.institution_id,
            context={
                "number": act.number,
                "act_date": ctx_date(act.act_date),
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),
                "holder": act.received_by.full_name,
                "kits": act.kits_out,
            },
            path=reverse("equipment:act_detail", args=[act.pk]),
        )
        yield due
        user = act.received_by.user
        if user is not None and user.is_active and user.institution_id != act.institution_id:
            yield Due(
                object=due.object,
                deadline=due.deadline,
                institution_id=due.institution_id,
                context=due.context,
                user_ids=(user.pk,),
                path=due.path,
            )


KINDS = [
    ReminderKind(
        code="kits_not_returned",
        label=_("Tablet kits not returned"),
        subject=_("Tablet kits under act No. %(number)s are due back by %(deadline)s"),
        body=_(
            "The tablet kits handed over under act No. %(number)s of %(act_date)s (received "
            "by %(holder)s, %(institution)s) must be returned to the Department by "
            "%(deadline)s (days left: %(days_left)s). Kits still out: %(kits)s."
        ),
        overdue_subject=_("Tablet kits under act No. %(number)s not returned"),
        overdue_body=_(
            "The tablet kits handed over under act No. %(number)s of %(act_date)s (received "
            "by %(holder)s, %(institution)s) were due back at the Department by %(deadline)s. "
            "Kits still not returned: %(kits)s. Please return them with all their components "
            "without delay."
        ),
        due=_kits_not_returned_due,
        # Only after the deadline by default: kits are in use until the census ends.
        default_lead_days=(),
        default_send_overdue=True,
    )
]
