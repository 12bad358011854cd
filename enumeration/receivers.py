"""Stage 2 reacting to stage 1 (``respondents.hooks``) and to campaign changes
(``institutions.hooks``), connected in ``EnumerationConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.dispatch import receiver

from enumeration.models import Enumeration, EnumerationChange
from enumeration.progress_services import progress_rebuild, progress_refresh
from institutions import hooks as institution_hooks
from institutions.models import Campaign
from respondents import hooks
from respondents.models import Respondent


@receiver(hooks.listed_changed, dispatch_uid="enumeration.progress_refresh")
def recount_progress(*, respondent_list_ids: list[int], **kwargs: Any) -> None:
    progress_refresh(respondent_list_ids=respondent_list_ids)


@receiver(hooks.personal_data_purging, dispatch_uid="enumeration.personal_data_purge")
def purge_outcomes(*, respondents: QuerySet[Respondent], **kwargs: Any) -> dict[str, int]:
    """Outcomes keep their status, method and date; the free text about a person goes."""
    return {
        "enumerations": Enumeration.objects.filter(respondent__in=respondents).update(
            reason_detail="", note="", registration_number="", window_override_reason=""
        ),
        "enumeration_changes": EnumerationChange.objects.filter(
            enumeration__respondent__in=respondents
        ).update(before={}, after={}),
    }


@receiver(institution_hooks.campaign_dates_changed, dispatch_uid="enumeration.progress_dates")
def recount_after_dates_changed(*, campaign: Campaign, fields: list[str], **kwargs: Any) -> None:
    """Who counts as listed depends on the critical moment (a departure before it is not
    listed): recount the campaign's counters in the service's transaction."""
    if "critical_moment" in fields:
        progress_rebuild(campaign=campaign)
