"""``accounts.sessions``: Django's database sessions read by a lighter query, the same rule
(the key's row unless it has expired) and the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_reads_back_what_was_kept():
    store = SessionStore()
    store["campaign"] = 7
    store.create()
    assert SessionStore(store.session_key).load() == {"campaign": 7}
    assert DjangoSessionStore(store.session_key).load() == {"campaign": 7}  # the same rows


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key():
    store = SessionStore()
    store["campaign"] = 7
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None


def test_a_signed_in_page_and_sign_out_go_through_it(client_for, officer_a):
    client = client_for(officer_a)
    assert client.get(reverse("institutions:officer_home")).status_code == 200
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("institutions:officer_home")).status_code == 302
