"""Which campaign a page shows, and whether a campaign still takes writes.

Every board, list, act list, certificate register, dashboard and reconciliation reads its
campaign from ``selected_campaign(request)``: the Department and the commission choose one
in the header (kept in the session; the active one until they do), an officer always works
in the active one. A campaign that is not active is closed: its data stays readable and
every write service refuses it with ``campaign_require_open``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from census_coord.db import CompiledModels
from census_coord.policy import allowed, campaign_of
from institutions.models import Campaign
from institutions.selectors import campaign_get_active

SESSION_KEY = "selected_campaign_id"
_CACHE_ATTRIBUTE = "_selected_campaign"
_CHOICES_ATTRIBUTE = "_campaign_choices"


def campaign_choices() -> QuerySet[Campaign]:
    """The campaigns one may choose in the header, latest first."""
    return Campaign.objects.order_by("-critical_moment")


# Read on every page of those who choose: its SQL compiled once (census_coord.db).
_CHOICES = CompiledModels(campaign_choices())


def campaign_choices_of(request: HttpRequest | Any) -> list[Campaign]:
    """``campaign_choices()`` read once per request: the header's selector lists them and
    ``selected_campaign`` picks the shown one from them (a handful of rows, one query;
    read afresh on every request, so a new campaign shows on the next page)."""
    cached = getattr(request, _CHOICES_ATTRIBUTE, None)
    if cached is None:
        cached = _CHOICES.all()
        setattr(request, _CHOICES_ATTRIBUTE, cached)
    return cached


def selected_campaign(request: HttpRequest | Any) -> Campaign:
    """The campaign this request reads: the one chosen in the session by those the policy
    lets choose (``campaign.select``), else the active one. Read once per request."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is not None and allowed(user, "campaign.select"):
        # Their header lists every campaign anyway: the shown one is among those rows.
        choices = campaign_choices_of(request)
        chosen = str(session.get(SESSION_KEY) or "")
        campaign = next((c for c in choices if chosen and str(c.pk) == chosen), None)
        campaign = campaign or next((c for c in choices if c.is_active), None)
        if campaign is None:
            raise Campaign.DoesNotExist("No active census campaign is configured.")
    else:
        campaign = campaign_get_active()
    setattr(request, _CACHE_ATTRIBUTE, campaign)
    return campaign


def selected_campaign_set(request: HttpRequest | Any, campaign: Campaign) -> None:
    """Keep ``campaign`` as the one this session reads (the active one: forget the choice).
    The view checks ``campaign.select`` first; this only remembers."""
    if campaign.is_active:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = campaign.pk
    setattr(request, _CACHE_ATTRIBUTE, campaign)


def campaign_is_open(campaign_or_object: Any) -> bool:
    """A campaign (or the campaign of a list, act, seminar, staff member, …) takes writes
    while it is the active one; an object of no campaign always does."""
    campaign = campaign_of(campaign_or_object)
    return campaign is None or bool(campaign.is_active)


def campaign_require_open(campaign_or_object: Any) -> None:
    """A write service's check, before the policy's: a closed campaign is read-only (a
    ValidationError the page shows, where the policy would only answer 403)."""
    campaign = campaign_of(campaign_or_object)
    if campaign is None:
        return
    # Read the flag afresh: the object may carry its campaign from before a switch.
    if not Campaign.objects.filter(pk=campaign.pk, is_active=True).exists():
        raise ValidationError(
            _("The %(campaign)s campaign is closed: its data can be read but not changed.")
            % {"campaign": campaign.name},
            code="campaign_closed",
        )
