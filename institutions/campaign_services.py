"""Writes on census campaigns: opening the next one, switching, changing its dates.

The admin's campaign form calls these (no direct save). Opening a campaign copies what
says who takes part (its regions, so the same institutions) from an earlier campaign,
never people: staff, lists and acts of the next census are its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord.policy import require
from institutions import hooks
from institutions.campaigns import campaign_require_open
from institutions.models import Campaign, Region

# What a campaign's dates are; changing one goes through ``campaign_dates_change``.
DATE_FIELDS = (
    "list_reference_date",
    "list_submission_deadline",
    "critical_moment",
    "online_start",
    "online_end",
    "tablet_start",
    "tablet_end",
    "kit_return_deadline",
)
NAME_FIELDS = ("name_kk", "name_ru", "name_en")


def _check_fields(values: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"not a campaign field here: {', '.join(unknown)}")


def _switch_active_to(campaign: Campaign) -> None:
    """Make ``campaign`` the one active campaign (the others close), under a lock so that
    two switches do not race."""
    list(Campaign.objects.select_for_update().order_by("pk").values_list("pk"))
    Campaign.objects.exclude(pk=campaign.pk).filter(is_active=True).update(is_active=False)
    if not campaign.is_active:
        campaign.is_active = True
        campaign.save(update_fields=["is_active"])


@transaction.atomic
def campaign_open(
    *,
    actor: Actor,
    code: str,
    names: Mapping[str, str],
    dates: Mapping[str, dt.date | dt.datetime],
    regions: Iterable[Region] | None = None,
    copy_from: Campaign | None = None,
    activate: bool = True,
) -> Campaign:
    """Open the next census campaign.

    Its regions (who takes part) come from ``regions`` or else from ``copy_from`` (by
    default the active campaign). With ``activate`` it becomes the active campaign at once
    and the one before it closes (read-only from now on). Audited.
    """
    require(actor, "campaign.manage")
    _check_fields(names, NAME_FIELDS)
    _check_fields(dates, DATE_FIELDS)
    source = copy_from or Campaign.objects.filter(is_active=True).first()
    campaign = Campaign(code=code.strip(), is_active=False, **names, **dates)
    campaign.full_clean()
    campaign.save()
    chosen = list(regions) if regions is not None else []
    if regions is None and source is not None:
        chosen = list(source.regions.all())
    if not chosen:
        raise ValidationError(
            {"regions": _("Choose the regions the campaign covers.")}, code="campaign_no_regions"
        )
    campaign.regions.set(chosen)
    if activate:
        _switch_active_to(campaign)
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=campaign,
        extra={
            "copied_from": source.code if source is not None else "",
            "regions": sorted(region.code for region in chosen),
            "activated": activate,
        },
    )
    return campaign


@transaction.atomic
def campaign_activate(*, actor: Actor, campaign: Campaign) -> Campaign:
    """Make ``campaign`` the active one in one step; the one active before closes."""
    require(actor, "campaign.manage")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    previous = Campaign.objects.filter(is_active=True).exclude(pk=campaign.pk).first()
    _switch_active_to(campaign)
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=campaign,
        extra={"activated": True, "closed": previous.code if previous is not None else ""},
    )
    return campaign


@transaction.atomic
def campaign_dates_change(
    *,
    actor: Actor,
    campaign: Campaign,
    dates: Mapping[str, dt.date | dt.datetime],
    names: Mapping[str, str] | None = None,
    regions: Iterable[Region] | None = None,
) -> Campaign:
    """Change a campaign's dates (and its names or regions) and, in the same transaction,
    recount what depends on them (``hooks.campaign_dates_changed``: the progress counters
    follow the critical moment). A closed campaign is read-only."""
    require(actor, "campaign.manage")
    _check_fields(dates, DATE_FIELDS)
    _check_fields(names or {}, NAME_FIELDS)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign_require_open(campaign)
    before = {field: getattr(campaign, field) for field in (*dates, *(names or {}))}
    for field, value in {**dates, **(names or {})}.items():
        setattr(campaign, field, value)
    campaign.full_clean()
    changed = [field for field, value in before.items() if getattr(campaign, field) != value]
    if changed:
        campaign.save(update_fields=changed)
    regions_changed = False
    if regions is not None:
        chosen = list(regions)
        if not chosen:
            raise ValidationError(
                {"regions": _("Choose the regions the campaign covers.")},
                code="campaign_no_regions",
            )
        regions_changed = {r.pk for r in chosen} != set(
            campaign.regions.values_list("pk", flat=True)
        )
        campaign.regions.set(chosen)
    changed_dates = [field for field in changed if field in DATE_FIELDS]
    if changed_dates:
        hooks.campaign_dates_changed.send(sender=Campaign, campaign=campaign, fields=changed_dates)
    if changed or regions_changed:
        audit_record(
            request_or_actor=actor,
            action=AuditAction.CHANGE,
            obj=campaign,
            extra={"fields": changed + (["regions"] if regions_changed else [])},
        )
    return campaign
