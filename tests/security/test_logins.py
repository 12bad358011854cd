"""Sign-in: lockout per (username, address), per address and per username, one message
for every failure, timeouts, and deactivation ending access."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from accounts.services import user_access_end
from audit.models import AuditAction, AuditEvent
from census_coord.middleware import SESSION_SEEN, SESSION_STARTED
from tests.factories import OfficerFactory, legacy_person_token

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-1"


def _login(client, username, password, address="203.0.113.5"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _error_text(response) -> str:
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


def test_unknown_user_and_wrong_password_get_the_same_message(client, officer_a):
    unknown = _login(client, "nobody-here", PASSWORD)
    wrong = _login(client, officer_a.username, "wrong-password")
    officer_a.is_active = False
    officer_a.save()
    inactive = _login(client, officer_a.username, PASSWORD)
    assert unknown.status_code == wrong.status_code == inactive.status_code == 200
    assert _error_text(unknown) == _error_text(wrong) == _error_text(inactive)
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert set(failures.values_list("username", flat=True)) == {"nobody-here", "officer_a"}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "kk",
            "Пайдаланушы аты немесе құпиясөз қате. Екеуінде де бас және кіші әріптер ажыратылады.",
        ),
        ("ru", "Неверное имя пользователя или пароль. Оба поля чувствительны к регистру."),
        ("en", "The username or password is incorrect. Both are case-sensitive."),
    ],
)
def test_the_sign_in_failure_is_one_whole_sentence_in_each_language(
    client, settings, officer_a, language, text
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert _error_text(_login(client, "nobody-here", PASSWORD)) == text
    assert _error_text(_login(client, officer_a.username, "wrong-password")) == text


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_only_from_that_address(client, officer_a):
    for _attempt in range(3):
        _login(client, officer_a.username, "wrong-password")
    locked = _login(client, officer_a.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same user from their own office is not locked out by the attacker.
    office = _login(client, officer_a.username, PASSWORD, address="198.51.100.20")
    assert office.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, extra__locked_out=True
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=officer_a).count() == 1


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_page_is_the_same_for_an_unknown_username(client, officer_a):
    for username in (officer_a.username, "nobody-here"):
        for _attempt in range(3):
            _login(client, username, "wrong-password")
    known = _login(client, officer_a.username, PASSWORD)
    unknown = _login(client, "nobody-here", PASSWORD)
    assert known.status_code == unknown.status_code == 429
    assert _alert(known) == _alert(unknown)
    assert "30" in _alert(known)


TIERS = {
    "AXES_FAILURE_LIMIT": 5,
    "AXES_ADDRESS_FAILURE_LIMIT": 30,
    "AXES_USERNAME_FAILURE_LIMIT": 10,
}


@override_settings(**TIERS)
def test_many_usernames_from_one_address_lock_the_address(client, officer_a):
    # 8 usernames, 4 failures each: under the pair limit every time, 32 from one address.
    for number in range(8):
        for _attempt in range(4):
            _login(client, f"guess-{number}", "wrong-password")
    locked = _login(client, officer_a.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # The account itself is not locked: its owner signs in from their office.
    assert _login(client, officer_a.username, PASSWORD, address="198.51.100.20").status_code == 302


@override_settings(**TIERS)
def test_one_username_guessed_from_many_addresses_is_locked(client, officer_a):
    for number in range(10):
        _login(client, officer_a.username, "wrong-password", address=f"192.0.2.{number + 1}")
    locked = _login(client, officer_a.username, PASSWORD, address="198.51.100.20")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts from those addresses are not affected.
    other = OfficerFactory(username="officer_other")
    assert _login(client, other.username, PASSWORD, address="192.0.2.1").status_code == 302


@override_settings(**TIERS)
def test_a_successful_sign_in_does_not_clear_an_addresss_guesses_at_other_accounts(
    client, officer_a
):
    for number in range(7):
        for _attempt in range(4):
            _login(client, f"guess-{number}", "wrong-password")
    # The attacker signs in to an account they hold, from the same address: 28 stays 28.
    assert _login(client, officer_a.username, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(2):
        _login(client, "guess-last", "wrong-password")
    assert _login(client, officer_a.username, PASSWORD).status_code == 429


@override_settings(**TIERS)
def test_every_lockout_tier_shows_the_same_message(client, officer_a):
    pair, address, username = "203.0.113.1", "203.0.113.2", "officer_a"
    for _attempt in range(5):
        _login(client, "pair-victim", "wrong-password", address=pair)
    for number in range(30):
        _login(client, f"guess-{number}", "wrong-password", address=address)
    for number in range(10):
        _login(client, username, "wrong-password", address=f"192.0.2.{number + 1}")
    answers = [
        _login(client, "pair-victim", PASSWORD, address=pair),
        _login(client, "nobody-here", PASSWORD, address=address),
        _login(client, username, PASSWORD, address="198.51.100.7"),
    ]
    assert {answer.status_code for answer in answers} == {429}
    assert len({_alert(answer) for answer in answers}) == 1


def _alert(response) -> str:
    content = response.content.decode()
    return content.split('role="alert">')[1].split("</p>")[0]


def _signed_in(client, user):
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    return client


@override_settings(SESSION_IDLE_TIMEOUT=60)
def test_idle_session_ends(client, department_user):
    _signed_in(client, department_user)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 120
    session.save()
    response = client.get(reverse("institutions:department_home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=department_user).exists()


@override_settings(SESSION_ABSOLUTE_TIMEOUT=3600)
def test_session_ends_after_the_absolute_timeout_even_when_active(client, department_user):
    _signed_in(client, department_user)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 3601
    session[SESSION_SEEN] = int(time.time())
    session.save()
    response = client.get(reverse("institutions:department_home"))
    assert response.status_code == 302


def test_active_session_continues(client, department_user):
    _signed_in(client, department_user)
    assert client.get(reverse("institutions:department_home")).status_code == 200


def test_deactivating_a_user_ends_sessions_and_tokens(client, officer_a):
    _signed_in(client, officer_a)
    _token, key = legacy_person_token(officer_a)
    assert client.get(reverse("institutions:officer_home")).status_code == 200
    user_access_end(user=officer_a)
    assert client.get(reverse("institutions:officer_home")).status_code == 302
    assert not Session.objects.exists()
    api = client.get("/api/v1/institutions/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401
