"""CSRF: a signed-in person's browser cannot be made to post for them, on the pages or
through the session-authenticated API; token clients send no cookies and need none."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from respondents.choices import ListStatus
from tests.factories import api_token_key
from tests.respondents.factories import RespondentFactory, RespondentListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def test_page_post_without_the_csrf_token_is_refused(browser, officer_a, api_client_a):
    browser.force_login(officer_a)
    url = reverse("accounts:api_tokens")
    refused = browser.post(url, {"holder": api_client_a.pk, "name": "МИС"})
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()
    # The same form, with the token the page carries, goes through.
    page = browser.get(url)
    token = page.context["csrf_token"]
    accepted = browser.post(
        url, {"holder": api_client_a.pk, "name": "МИС", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 200
    assert ApiToken.objects.filter(user=api_client_a).exists()


def test_session_api_post_without_the_csrf_token_is_refused(browser, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    RespondentFactory(respondent_list=respondent_list)
    browser.force_login(officer_a)
    response = browser.post(f"/api/v1/respondent-lists/{respondent_list.pk}/submit/")
    assert response.status_code == 403
    respondent_list.refresh_from_db()
    assert respondent_list.status == ListStatus.DRAFT


def test_sign_in_post_without_the_csrf_token_is_refused(browser, officer_a):
    response = browser.post(
        reverse("accounts:login"), {"username": officer_a.username, "password": "pass-for-tests-1"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_token_clients_need_no_csrf_token(browser, api_client_a):
    key = api_token_key(api_client_a)
    response = browser.post(
        "/api/v1/enumerations/batch/",
        {"updates": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    # Refused for its content (an empty batch), not for a missing CSRF token.
    assert response.status_code == 400, response.content
    assert "CSRF" not in response.content.decode()
