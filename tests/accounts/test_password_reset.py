"""Password reset by e-mail: a working link for a known address, the same answer for an
unknown one and over the limits, each request and completion on the audit trail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

LIMITS = {"PASSWORD_RESET_LIMIT_PER_ADDRESS": 5, "PASSWORD_RESET_LIMIT_PER_ACCOUNT": 3}
NEW_PASSWORD = "Sanaq-2021-kokshe-new"


def _ask(client, email, address="203.0.113.5"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_known_address_gets_a_working_link(client, officer_a):
    response = _ask(client, officer_a.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer_a.email]
    link = _link(mail.outbox[0])
    assert link.startswith("/accounts/password-reset/")
    # Django moves the token into the session and redirects to a URL without it.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]

    requested = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (requested.object_type, requested.object_id) == ("accounts.user", str(officer_a.pk))
    assert requested.extra == {"sent": True, "limited": False}
    assert requested.ip_address == "203.0.113.5"
    completed = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_DONE)
    assert completed.actor == officer_a
    trail = str(list(AuditEvent.objects.values()))
    assert officer_a.email not in trail
    token = link.rstrip("/").split("/")[-1]
    assert token not in trail


def test_unknown_address_gets_the_same_answer_and_no_email(client, officer_a):
    known = _ask(client, officer_a.email)
    unknown = _ask(client, "nobody@example.kz")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).order_by("pk").last()
    assert (event.object_id, event.extra["sent"]) == ("", False)
    assert "nobody@example.kz" not in str(list(AuditEvent.objects.values()))


@override_settings(**LIMITS)
def test_per_account_limit_answers_the_same_without_sending(client, officer_a):
    answers = [_ask(client, officer_a.email, address=f"192.0.2.{n}") for n in range(1, 5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }
    assert len(mail.outbox) == 3
    last = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).order_by("pk").last()
    assert last.extra == {"sent": False, "limited": True}


@override_settings(**LIMITS)
def test_per_address_limit_answers_the_same_without_sending(client, institution_a):
    people = [OfficerFactory(institution=institution_a) for _n in range(6)]
    answers = [_ask(client, person.email) for person in people]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }
    assert len(mail.outbox) == 5
    assert people[5].email not in {message.to[0] for message in mail.outbox}
    # From another address the same account is served.
    _ask(client, people[5].email, address="198.51.100.20")
    assert mail.outbox[-1].to == [people[5].email]


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Электрондық поштаңызды тексеріңіз"), ("ru", "Проверьте электронную почту")],
)
def test_pages_are_translated_and_linked_from_sign_in(client, settings, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login
    done = client.get(reverse("accounts:password_reset_done")).content.decode()
    assert heading in done
    assert "Check your e-mail" not in done
