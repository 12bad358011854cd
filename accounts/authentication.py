"""``Authorization: Token <key>`` for the REST API; the token acts with its user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.tokens import token_key_hash
from audit.context import audit_token_bind
from census_coord import clock

# Writing last_used_at on every request would turn each read into a write; a minute's
# precision is enough to see which tokens are still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the key after the word Token."),
                code="token_header_invalid",
            )
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("Invalid token."), code="token_invalid"
            ) from exc
        token = (
            ApiToken.objects.select_related("user", "user__institution")
            .filter(key_hash=token_key_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="token_invalid")
        now = clock.wall_now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        audit_token_bind(token.prefix)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
