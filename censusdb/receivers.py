"""The census database's counters reacting to the lists (``respondents.hooks``) and to the
campaign's dates (``institutions.hooks``), connected in ``CensusDbConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from censusdb.reconciliation import reconciliation_refresh
from institutions import hooks as institution_hooks
from institutions.models import Campaign
from respondents import hooks
from respondents.models import RespondentList


@receiver(hooks.listed_changed, dispatch_uid="censusdb.reconciliation_refresh")
def recount_reconciliation(*, respondent_list_ids: list[int], **kwargs: Any) -> None:
    """Who is listed changed: recount those lists' institutions (in/not in the census DB)."""
    by_campaign: dict[int, set[int]] = {}
    for campaign_id, institution_id in RespondentList.objects.filter(
        pk__in=respondent_list_ids
    ).values_list("campaign_id", "institution_id"):
        by_campaign.setdefault(campaign_id, set()).add(institution_id)
    for campaign in Campaign.objects.filter(pk__in=list(by_campaign)):
        reconciliation_refresh(campaign=campaign, institution_ids=by_campaign[campaign.pk])


@receiver(institution_hooks.campaign_dates_changed, dispatch_uid="censusdb.reconciliation_dates")
def recount_after_dates_changed(*, campaign: Campaign, fields: list[str], **kwargs: Any) -> None:
    """A moved critical moment changes who is listed: recount the whole campaign."""
    if "critical_moment" in fields:
        reconciliation_refresh(campaign=campaign)
