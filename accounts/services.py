"""Writes on users: language, API tokens, ending access, password reset by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from accounts.tokens import token_key_generate, token_key_hash
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from audit.signals import _as_user
from census_coord import clock
from census_coord.middleware import client_ip
from census_coord.policy import allowed

RESET_EMAIL = "accounts/email/password_reset.txt"
RESET_SUBJECT = "accounts/email/password_reset_subject.txt"


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the interface language for the user's next sessions."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unsupported language {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def api_token_issue(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token held by the API-client account ``user``; returns it with the key,
    which is never shown again. ``census_coord.policy`` (``token.issue``) decides who may
    issue for which account; the event is audited."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="token_name_missing")
    if not user.is_active:
        raise ValidationError(
            _("Tokens cannot be issued to an inactive user."), code="user_inactive"
        )
    if not allowed(actor, "token.issue", user):
        raise ValidationError(
            _(
                "Tokens are issued only for API-client accounts you manage: your "
                "institution's client, or a client of your region."
            ),
            code="token_holder_not_allowed",
        )
    key = token_key_generate()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=token_key_hash(key)
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        institution=user.institution_id,
        extra={"token": token.prefix, "holder": user.pk},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once (``token.revoke`` in the policy); revoking twice keeps the
    first revocation time."""
    if not allowed(actor, "token.revoke", token):
        raise ValidationError(_("You cannot revoke this token."), code="token_revoke_not_allowed")
    if token.revoked_at is None:
        token.revoked_at = clock.wall_now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            request_or_actor=actor,
            action=AuditAction.CHANGE,
            obj=token,
            institution=token.user.institution_id,
            extra={"token": token.prefix, "revoked": True},
        )
    return token


@transaction.atomic
def user_access_end(*, user: User) -> User:
    """Deactivate a user and end their access now: sessions deleted, API tokens revoked.

    The unusable password also changes the session auth hash, so a session held in any
    other store stops working on its next request.
    """
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.wall_now())
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.wall_now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()
    return user


def _reset_requests_since(**lookup: object) -> int:
    since = clock.wall_now() - settings.PASSWORD_RESET_WINDOW
    return AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_RESET, occurred_at__gte=since, **lookup
    ).count()


@transaction.atomic
def password_reset_request(*, request: HttpRequest, email: str) -> bool:
    """Send Django's reset link to the active accounts with this address, unless the
    client's address or the account asked too often within ``PASSWORD_RESET_WINDOW``.

    The caller answers the same whatever happens here (known address or not, limited or
    not), so the page reveals nothing. Each request is audited — the account it matched,
    never the address typed — and the audit rows are what the limits count, so they hold
    across every web process. Returns whether an e-mail went out.
    """
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return False
    users = list(form.get_users(form.cleaned_data["email"]))
    address = client_ip(request)
    limited = bool(address) and (
        _reset_requests_since(ip_address=address) >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    limited = limited or any(
        _reset_requests_since(object_type="accounts.user", object_id=str(user.pk))
        >= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
        for user in users
    )
    sent = bool(users) and not limited
    for user in users or [None]:  # type: ignore[list-item]  # no account: one event with none
        audit_record(
            request_or_actor=request,
            action=AuditAction.PASSWORD_RESET,
            object_type="accounts.user",
            object_id=user.pk if user else "",
            institution=user.institution_id if user else None,
            extra={"sent": sent, "limited": limited},
        )
    if sent:
        form.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name=RESET_EMAIL,
            subject_template_name=RESET_SUBJECT,
        )
    return sent


@transaction.atomic
def password_reset_complete(*, request: HttpRequest, user: User) -> None:
    """Record that ``user`` chose a new password through a reset link (Django's view has
    saved it); the event is the account's own, from the client's address."""
    audit_record(
        request_or_actor=_as_user(request, user),
        action=AuditAction.PASSWORD_RESET_DONE,
        obj=user,
        institution=user.institution_id,
    )
