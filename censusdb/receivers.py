"""Census-DB's answers to other apps' hooks, connected by importing this module in
``CensusDbConfig.ready``: the reconciliation counters follow the lists
(``respondents.hooks``) and the campaign's dates (``institutions.hooks``), and a kit whose
tablet sent forms the census database has not all received does not come back without the
Department's override (``equipment.hooks``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncYear
from django.dispatch import receiver

from censusdb.models import CensusRecord, CensusReview
from censusdb.reconciliation import reconciliation_refresh
from censusdb.tablet_delivery import forms_not_received
from equipment.hooks import ReturnBlocker, return_blocking
from equipment.models import HandoverAct, TabletKit
from institutions import hooks as institution_hooks
from institutions.models import Campaign
from respondents import hooks
from respondents.models import Respondent, RespondentList


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


@receiver(return_blocking, sender=HandoverAct, dispatch_uid="censusdb.return_blocking_forms")
def undelivered_forms_block_return(
    sender: type[HandoverAct], *, act: HandoverAct, kits: Sequence[TabletKit], **kwargs: Any
) -> list[ReturnBlocker]:
    """One blocker per kit with forms sent under the act that are not in the census database."""
    return forms_not_received(act=act, kits=kits)


@receiver(hooks.personal_data_purging, dispatch_uid="censusdb.personal_data_purge")
def purge_census_records(*, respondents: QuerySet[Respondent], **kwargs: Any) -> dict[str, int]:
    """The census database's forms name people too. Those matched to a purged person, and
    every form of the purged lists' campaigns at their institutions, lose names, IIN, the
    day and month of birth and the matching keys; form numbers, methods, dates, tablets and
    states stay, so every count and the reconciliation hold."""
    lists = RespondentList.objects.filter(pk__in=respondents.values("respondent_list_id"))
    at_places = Q(
        campaign_id__in=lists.values("campaign_id"),
        institution_id__in=lists.values("institution_id"),
    )
    records = CensusRecord.objects.filter(Q(respondent__in=respondents) | at_places)
    return {
        "census_reviews": CensusReview.objects.filter(record__in=records).update(
            officer_side={}, note=""
        ),
        "census_records": records.update(
            iin="",
            surname="",
            given_name="",
            patronymic="",
            birth_date=TruncYear("birth_date"),
            exact_key="",
            variant_key="",
            content_hash="",
        ),
    }
