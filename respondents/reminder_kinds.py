"""Reminder kinds of stage 1 (¶9.1): a list not yet submitted, and a returned list not yet
sent back to the Department (stage 2's are in ``enumeration.reminder_kinds``).

See ``reminders.registry`` for the contract: ``due(campaign, today)`` yields every open
item, past its deadline too (the Department's digest lists those), for every institution
at once in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.models import Campaign, Institution
from reminders.registry import Due, ReminderKind, ctx_date, ctx_name
from respondents.choices import ListStatus
from respondents.models import ListTransition, RespondentList

# Days an institution has to send a returned list back. The reminder goes out on that day
# (lead time 0, which the Department can change in the reminder settings) and, when still
# not resubmitted, once more the day after.
RESUBMISSION_DAYS = 2

_INSTITUTION_NAMES = ("institution__name_kk", "institution__name_ru")


def _list_not_submitted_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """Active institutions of the campaign's regions with no list yet or a list in draft.

    The institution, not the list, is the reminder's object: an officer who opens a draft
    between two reminders must not get the same lead time again for the new list.
    """
    sent = RespondentList.objects.filter(institution=OuterRef("pk"), campaign=campaign).exclude(
        status=ListStatus.DRAFT
    )
    institutions = (
        Institution.objects.filter(is_active=True, district__region__in=campaign.regions.all())
        .filter(~Exists(sent))
        .order_by("pk")
    )
    path = reverse("respondents:my_list")
    reference_date = ctx_date(campaign.list_reference_date)
    for institution in institutions.only("pk", "name_kk", "name_ru"):
        yield Due(
            object=institution,
            deadline=campaign.list_submission_deadline,
            institution_id=institution.pk,
            context={
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),
                "reference_date": reference_date,
            },
            path=path,
        )


def _list_returned_due(campaign: Campaign, today: dt.date) -> Iterator[Due]:
    """Lists the Department returned and the institution has not resubmitted yet.

    The deadline counts from the latest return, so a list returned a second time is
    reminded about again.
    """
    last_return = (
        ListTransition.objects.filter(respondent_list=OuterRef("pk"), to_status=ListStatus.RETURNED)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    lists = (
        RespondentList.objects.filter(
            campaign=campaign, status=ListStatus.RETURNED, institution__is_active=True
        )
        .annotate(returned_at=Subquery(last_return))
        .select_related("institution")
        .only("pk", "institution_id", "review_comment", "updated_at", *_INSTITUTION_NAMES)
        .order_by("pk")
    )
    for respondent_list in lists:
        # A list returned before transitions were recorded falls back to its last change.
        returned_on = timezone.localdate(respondent_list.returned_at or respondent_list.updated_at)
        institution = respondent_list.institution
        yield Due(
            object=respondent_list,
            deadline=returned_on + dt.timedelta(days=RESUBMISSION_DAYS),
            institution_id=respondent_list.institution_id,
            context={
                "institution": ctx_name(kk=institution.name_kk, ru=institution.name_ru),
                "returned_on": ctx_date(returned_on),
                "comment": respondent_list.review_comment,
            },
            path=reverse("respondents:list_detail", args=[respondent_list.pk]),
        )


KINDS = [
    ReminderKind(
        code="list_not_submitted",
        label=_("Stage-1 list not submitted"),
        subject=_("Respondent list due on %(deadline)s"),
        body=_(
            "The list of respondents of %(institution)s as of %(reference_date)s has not been "
            "submitted to the Department yet. Please submit it by %(deadline)s "
            "(days left: %(days_left)s)."
        ),
        overdue_subject=_("Respondent list overdue since %(deadline)s"),
        overdue_body=_(
            "The list of respondents of %(institution)s as of %(reference_date)s was due at "
            "the Department on %(deadline)s and has not been submitted. Please submit it "
            "without delay."
        ),
        due=_list_not_submitted_due,
        default_lead_days=(7, 3, 1),
        default_send_overdue=True,
    ),
    ReminderKind(
        code="list_returned_not_resubmitted",
        label=_("Returned list not resubmitted"),
        subject=_("Returned respondent list: please resubmit by %(deadline)s"),
        body=_(
            "On %(returned_on)s the Department returned the list of respondents of "
            "%(institution)s for corrections. Please correct it and submit it again by "
            "%(deadline)s.\n\nThe Department's comment: %(comment)s"
        ),
        overdue_subject=_("Returned respondent list still not resubmitted"),
        overdue_body=_(
            "On %(returned_on)s the Department returned the list of respondents of "
            "%(institution)s for corrections, and it has not been submitted again. Please "
            "correct it and submit it without delay.\n\nThe Department's comment: %(comment)s"
        ),
        due=_list_returned_due,
        default_lead_days=(0,),
        default_send_overdue=True,
    ),
]
