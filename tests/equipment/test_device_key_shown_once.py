"""A device key shown once after signing an act never travels in a cookie (issue 15, item 6)."""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.cookie import CookieStorage, MessageSerializer
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse

from tests.equipment.conftest import PDF_BYTES, scan

pytestmark = pytest.mark.django_db


def _cookies(response) -> str:
    """Every cookie the response sets, the messages cookie decoded (it is only signed and
    compressed, so anyone holding it can read it)."""
    texts = []
    for name, morsel in response.cookies.items():
        texts.append(morsel.OutputString())
        if name == CookieStorage.cookie_name and morsel.value:
            signer = signing.get_cookie_signer(salt="django.contrib.messages")
            texts.append(str(signer.unsign_object(morsel.value, serializer=MessageSerializer)))
    return " ".join(texts)


def test_device_key_is_shown_once_and_never_in_a_cookie(
    client_for, department_user, make_act, staff_a, kits
):
    act = make_act(staff=staff_a, kits=kits[:1])
    client = client_for(department_user)
    signed = client.post(
        reverse("equipment:act_sign", args=[act.pk]),
        {
            "department_signed_on": "2021-09-21",
            "recipient_signed_on": "2021-09-21",
            "signed_scan": scan("act.pdf", PDF_BYTES),
        },
    )
    assert signed.status_code == 302
    page = client.get(signed["Location"])
    text = page.content.decode()
    shown = [m.message for m in page.context["messages"]]
    keys = [message.rsplit(": ", 1)[-1] for message in shown if kits[0].inventory_number in message]
    assert len(keys) == 1
    key = keys[0]
    assert len(key) >= 20
    assert key in text

    assert key not in _cookies(signed)
    assert key not in _cookies(page)
    assert key not in " ".join(client.cookies[name].value for name in client.cookies)
    # Shown once: gone from the next page and from the server-side session.
    assert key not in client.get(signed["Location"]).content.decode()
    assert all(key not in str(s.get_decoded()) for s in Session.objects.all())
