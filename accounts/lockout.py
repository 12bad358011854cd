"""Sign-in lockout in three tiers, on top of django-axes' database handler.

django-axes counts failures per lockout parameter (``AXES_LOCKOUT_PARAMETERS``) but has
one limit for all of them. We want three, from the narrowest to the widest:

- a (username, address) pair: ``AXES_FAILURE_LIMIT`` (someone mistyping their password);
- an address, over every username: ``AXES_ADDRESS_FAILURE_LIMIT`` (one machine guessing
  many accounts; higher, as an institution's staff may share one NAT address);
- a username, from every address: ``AXES_USERNAME_FAILURE_LIMIT`` (one account guessed from
  many machines).

``get_failures`` scales each tier's count onto the pair limit (``count * pair // tier``
reaches ``pair`` exactly when ``count`` reaches ``tier``), so axes' own comparison with
``AXES_FAILURE_LIMIT`` — before authenticating and after each failure — applies every tier,
and the lockout answer (``accounts.views.locked_out``) is the same for each.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _tier_limit(parameter: str | list[str], pair_limit: int) -> int:
    if parameter == "ip_address":
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    if parameter == "username":
        return settings.AXES_USERNAME_FAILURE_LIMIT
    return pair_limit


class TieredLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        scaled = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, failures * pair_limit // _tier_limit(parameter, pair_limit))
        return scaled

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful sign-in forgets the failures of that (username, address) pair only:
        signing in to one's own account must not clear an address's guesses at others,
        nor an attacker's guesses at this account from elsewhere."""
        username = get_client_username(request, credentials)
        deleted, _by_model = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]  # set by axes
        ).delete()
        return deleted
