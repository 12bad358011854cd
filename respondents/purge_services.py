"""Retention after the census: a closed campaign's people become counts only.

``campaign_personal_data_purge`` (``manage.py campaign_purge CODE --after-days N``) keeps
every row and counter, so lists, progress and reconciliation add up as before
(``progress_rebuild`` still recounts the same numbers), and removes what names a person:
names, IIN, the day and month of birth, free-text notes and comments, census registration
numbers, the uploaded files of the campaign's imports and their first errors, the scans
of the signed paper lists (rows and files: a scan is a picture of the names) and the list
papers rendered by a worker (rows and files).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import scope_queryset
from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import require
from institutions.models import Campaign
from respondents import hooks
from respondents.importing.services import import_files_purge
from respondents.models import (
    Amendment,
    DuplicateIinConflict,
    ImportJob,
    ListPaperJob,
    ListTransition,
    Respondent,
    RespondentList,
    RespondentNameKey,
    SignedListScan,
)
from respondents.selectors import conflict_scope


def campaign_closes_on(campaign: Campaign) -> dt.date:
    """The last day of the campaign's work: its last window or the kit return deadline."""
    return max(campaign.online_end, campaign.tablet_end, campaign.kit_return_deadline)


@transaction.atomic
def campaign_personal_data_purge(
    *, actor: Actor, campaign: Campaign, after_days: int, today: dt.date | None = None
) -> dict[str, int]:
    """Anonymise the respondents of a closed campaign ``after_days`` after it closed.

    Refuses an active campaign, one not yet closed, or a date earlier than the closing
    day plus ``after_days`` (the retention period the Department sets). Running it again
    changes nothing more. One audit event records the counts (no personal data).
    """
    require(actor, "campaign.purge")
    today = today or clock.today()
    closes_on = campaign_closes_on(campaign)
    if campaign.is_active or today <= closes_on:
        raise ValidationError(
            _("The campaign %(code)s is still open: personal data is kept until it closes.")
            % {"code": campaign.code},
            code="campaign_open",
        )
    if after_days < 0:
        raise ValidationError(_("Give the retention period in days (0 or more)."), code="invalid")
    allowed_from = closes_on + dt.timedelta(days=after_days)
    if today < allowed_from:
        raise ValidationError(
            ngettext(
                "Too early: the campaign closed on %(closed)s; with a retention period of "
                "%(days)d day its personal data may be removed from %(date)s.",
                "Too early: the campaign closed on %(closed)s; with a retention period of "
                "%(days)d days its personal data may be removed from %(date)s.",
                after_days,
            )
            % {
                "closed": closes_on.strftime("%d.%m.%Y"),
                "days": after_days,
                "date": allowed_from.strftime("%d.%m.%Y"),
            },
            code="purge_too_early",
        )
    # A regional department user purges their region's lists only, as they see them.
    lists = scope_queryset(RespondentList.objects.filter(campaign=campaign), user=actor)
    respondents = Respondent.objects.filter(respondent_list__in=lists)
    jobs = ImportJob.objects.filter(respondent_list__in=lists)
    # The year of birth stays (age groups); the day and month go with the names.
    counts = {
        "respondents": respondents.update(
            surname="",
            given_name="",
            patronymic="",
            iin="",
            iin_absent_reason="",
            citizenship_country="",
            unit="",
            note="",
            external_ref="",  # the institution's record number points back to the person
            search_text="",
            birth_date=TruncYear("birth_date"),
        ),
        # The name keys are the names, folded: they go with them.
        "name_keys": RespondentNameKey.objects.filter(respondent__in=respondents).delete()[0],
        "amendments": Amendment.objects.filter(respondent_list__in=lists).update(comment=""),
        "list_comments": lists.exclude(review_comment="").update(review_comment=""),
        "transitions": ListTransition.objects.filter(respondent_list__in=lists).update(comment=""),
        # The IIN of a conflict goes; each keeps a placeholder unique within its pair.
        "conflicts": conflict_scope(
            DuplicateIinConflict.objects.filter(campaign=campaign), user=actor
        ).update(iin=Concat(Value("-"), Cast("id", CharField())), note=""),
        "import_jobs": jobs.update(file_name="", errors_preview=[]),
    }
    for _receiver, purged in hooks.personal_data_purging.send(
        RespondentList, respondents=respondents
    ):
        counts.update(purged)  # type: ignore[arg-type]  # receivers return counts by table
    counts["import_files"] = len(
        import_files_purge(job_ids=list(jobs.values_list("pk", flat=True)))
    )
    scans = SignedListScan.objects.filter(respondent_list__in=lists)
    for scan in scans:
        scan.file.storage.delete(scan.file.name)  # no error when already gone
    counts["signed_scans"], _deleted = scans.delete()
    papers = ListPaperJob.objects.filter(respondent_list__in=lists)
    for paper in papers.exclude(file=""):
        paper.file.storage.delete(paper.file.name)
    counts["list_papers"], _deleted = papers.delete()
    audit_record(
        request_or_actor=actor,
        action=AuditAction.DELETE,
        obj=campaign,
        record_count=counts["respondents"],
        extra={"purge": "personal_data", "after_days": after_days, "counts": counts},
    )
    return counts
