"""During a database outage people get a translated "temporarily unavailable" page and
API clients a JSON 503 with Retry-After (issue 17, item 7) — never Django's HTML 500.

The outage is real: this process's connection is pointed at a port where no server
listens, so every query fails the way it does while PostgreSQL restarts.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import api_client_key
from tests.faults import PORT_BASE, database_moved_to

pytestmark = pytest.mark.django_db(transaction=True)
NOTHING_LISTENS = PORT_BASE + 9


def _browser(user=None) -> Client:
    # As a browser sees it: the response Django sends, not the exception behind it.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("kk", "Уақытша қолжетімсіз"),
        ("ru", "Временно недоступно"),
        ("en", "Temporarily unavailable"),
    ],
)
def test_officer_page_during_a_database_outage_says_temporarily_unavailable(
    officer_a, language, title
):
    client = _browser(officer_a)
    client.cookies["census_language"] = language
    with database_moved_to(NOTHING_LISTENS):
        response = client.get(reverse("institutions:officer_home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f'lang="{language}"' in page


def test_api_during_a_database_outage_answers_json_503_with_retry_after(officer_a):
    key = api_client_key(institution=officer_a.institution)
    client = _browser()
    with database_moved_to(NOTHING_LISTENS), translation.override("en"):
        response = client.get(
            "/api/v1/respondent-lists/",
            HTTP_AUTHORIZATION=f"Token {key}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "service_unavailable",
        "message": "The service is temporarily unavailable. Try again in a minute.",
        "errors": [],
    }


def test_pages_answer_again_when_the_database_is_back(officer_a):
    client = _browser(officer_a)
    with database_moved_to(NOTHING_LISTENS):
        assert client.get(reverse("institutions:officer_home")).status_code == 503
    assert client.get(reverse("institutions:officer_home")).status_code == 200
