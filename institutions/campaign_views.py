"""The header's campaign selector: which census campaign the pages show."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.types import AuthenticatedHttpRequest
from census_coord.policy import rule_required
from institutions.campaigns import campaign_choices, selected_campaign_set


@rule_required("campaign.select")
def campaign_select(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Keep the chosen campaign in the session and go back to the page it was chosen on.
    An earlier campaign is shown read-only (its write buttons are hidden, its services
    refuse)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    chosen = request.POST.get("campaign", "")
    campaign = get_object_or_404(campaign_choices(), pk=int(chosen) if chosen.isdigit() else 0)
    selected_campaign_set(request, campaign)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)
