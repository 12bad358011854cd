"""Template context: the header's campaign selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from census_coord.policy import allowed
from institutions.campaigns import campaign_choices_of, selected_campaign
from institutions.models import Campaign


def campaigns(request: HttpRequest) -> dict[str, Any]:
    """``campaign_selector``: the campaigns to choose from and the one shown, for those the
    policy lets choose (``campaign.select``); nothing for others. Read only when drawn."""
    user = getattr(request, "user", None)
    if not allowed(user, "campaign.select"):
        return {}

    def read() -> dict[str, Any]:
        try:
            shown = selected_campaign(request)
        except Campaign.DoesNotExist:
            return {"choices": [], "selected": None}
        return {"choices": campaign_choices_of(request), "selected": shown}

    return {"campaign_selector": SimpleLazyObject(read)}
