"""``Authorization: Device <key>``: a tablet authenticates as its kit, for the sync endpoint only.

A device is not a user: ``request.user`` stays anonymous and ``request.auth`` is the
``DeviceToken``. A revoked key is recognised (not treated as unknown) so that the sync
service can refuse it with a clear reason and log the refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.tokens import token_key_hash
from sync.models import DeviceToken


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Device"

    def authenticate(self, request: Request) -> tuple[Any, DeviceToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid device header: give the key after the word Device."),
                code="device_header_invalid",
            )
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("Invalid device key."), code="device_key_invalid"
            ) from exc
        token = (
            DeviceToken.objects.select_related("kit", "kit__holder_institution")
            .filter(key_hash=token_key_hash(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid device key."), code="device_key_invalid"
            )
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
