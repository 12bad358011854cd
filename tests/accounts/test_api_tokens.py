import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_issue, api_token_revoke
from accounts.tokens import token_key_hash
from tests.factories import ApiClientFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/institutions/"


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_only_the_hash_of_the_key_is_stored(department_user, api_client_a):
    token, key = api_token_issue(actor=department_user, user=api_client_a, name="МИС")
    assert token.key_hash == token_key_hash(key)
    assert key not in {token.key_hash, token.prefix, token.name}
    assert token.prefix == key[:8]


def test_token_authenticates_and_records_last_use(client, department_user, api_client_a):
    token, key = api_token_issue(actor=department_user, user=api_client_a, name="МИС")
    assert client.get(URL, **_auth(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Token wrong-key", "Token", "Token a b"])
def test_bad_token_is_refused_with_the_error_shape(client, officer_a, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "errors"}


def test_revoked_token_is_refused(client, department_user, api_client_a):
    token, key = api_token_issue(actor=department_user, user=api_client_a, name="МИС")
    api_token_revoke(actor=department_user, token=token)
    assert client.get(URL, **_auth(key)).status_code == 401


def test_inactive_clients_token_is_refused(client, department_user, api_client_a):
    _token, key = api_token_issue(actor=department_user, user=api_client_a, name="МИС")
    api_client_a.is_active = False
    api_client_a.save()
    assert client.get(URL, **_auth(key)).status_code == 401


def test_department_wide_client_token_sees_the_region(
    client, department_user, institution_a, institution_b
):
    census_system = ApiClientFactory(username="census_system")
    _token, key = api_token_issue(actor=department_user, user=census_system, name="BI")
    assert client.get(URL, **_auth(key)).json()["count"] == 2


def test_create_api_token_command_prints_a_working_key(client, department_user, api_client_a):
    out = io.StringIO()
    call_command("create_api_token", "api_client_a", "--as", "dept_user", stdout=out)
    key = out.getvalue().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", key)
    assert ApiToken.objects.get(user=api_client_a).key_hash == token_key_hash(key)
    assert client.get(URL, **_auth(key)).status_code == 200


def test_create_api_token_command_refuses_unknown_user(department_user):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--as", "dept_user", stdout=io.StringIO())


def test_department_issues_a_token_in_the_admin_and_sees_the_key_once(
    client_for, department_user, api_client_a
):
    client = client_for(department_user)
    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": api_client_a.pk, "name": "МИС"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=api_client_a)
    key = response.context["key"]
    assert token.key_hash == token_key_hash(key)
    change = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert key not in change.content.decode()


def test_department_revokes_tokens_in_the_admin(client_for, department_user, api_client_a):
    token, _key = api_token_issue(actor=department_user, user=api_client_a, name="МИС")
    client_for(department_user).post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.is_revoked


def test_officer_cannot_reach_the_token_admin(client_for, officer_a):
    response = client_for(officer_a).get(reverse("admin:accounts_apitoken_changelist"))
    assert response.status_code == 302
