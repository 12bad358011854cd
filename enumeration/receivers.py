"""Stage 2 reacting to stage 1 (``respondents.hooks``), connected in ``EnumerationConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.dispatch import receiver

from enumeration.models import Enumeration, EnumerationChange
from enumeration.progress_services import progress_refresh
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
