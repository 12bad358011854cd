"""Reads of accounts and API tokens, narrowed to what the acting user manages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import ApiToken, User
from accounts.roles import Role, is_department, role_of
from accounts.types import Actor
from census_coord.policy import allowed


def _managed_accounts_q(actor: Actor, prefix: str = "") -> Q | None:
    """Accounts whose tokens ``actor`` manages, as a filter (None: none at all)."""
    if is_department(actor):
        if actor.region_id is None:
            return Q()
        return Q(**{f"{prefix}institution__district__region": actor.region_id}) | Q(
            **{f"{prefix}institution__isnull": True, f"{prefix}region": actor.region_id}
        )
    if role_of(actor) == Role.OFFICER:
        return Q(**{f"{prefix}institution": actor.institution_id})
    return None


def api_token_list(*, user: Actor) -> QuerySet[ApiToken]:
    """Tokens held by accounts of the actor's region (Department) or institution (officer)."""
    managed = _managed_accounts_q(user, prefix="user__")
    if managed is None:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.filter(managed).select_related("user")
    if not is_department(user):
        tokens = tokens.filter(user__groups__name=Role.API_CLIENT)
    return tokens


def api_token_holder_candidates(*, actor: Actor) -> QuerySet[User]:
    """The accounts ``actor`` may issue a token for (the ``token.issue`` rule decides)."""
    managed = _managed_accounts_q(actor)
    if managed is None:
        return User.objects.none()
    clients = (
        User.objects.filter(managed, is_active=True, groups__name=Role.API_CLIENT)
        .select_related("institution__district")
        .distinct()
    )
    eligible = [client.pk for client in clients if allowed(actor, "token.issue", client)]
    return User.objects.filter(pk__in=eligible).order_by("username")
