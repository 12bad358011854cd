"""``accounts.backends.UserBackend``: the signed-in user and their role in one query, read
afresh on every request; sessions of Django's backend stay signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import UserBackend
from accounts.roles import Role, role_of

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def test_a_page_reads_the_role_with_the_user(client_for, department_user):
    client = client_for(department_user)
    queries = _queries(client, reverse("reminders:notifications"))
    group_table = connection.ops.quote_name(Group._meta.db_table)
    assert not [sql for sql in queries if sql.startswith(f"SELECT {group_table}.")]
    assert sum(group_table in sql for sql in queries) == 1  # inside the user's query


@pytest.mark.parametrize("roles", [(), (Role.OFFICER,), (Role.DEPARTMENT, Role.API_CLIENT)])
def test_the_user_comes_with_each_of_their_groups(department_user, roles):
    department_user.groups.set([Group.objects.get(name=role) for role in roles])
    user = UserBackend().get_user(department_user.pk)
    assert user == department_user
    assert user._role_group_names == set(roles)
    assert user.get_full_name() == department_user.get_full_name()
    assert user.region_id == department_user.region_id


def test_a_changed_role_counts_from_the_next_request(client_for, department_user):
    client = client_for(department_user)
    board = reverse("institutions:department_home")
    assert client.get(board).status_code == 200
    department_user.groups.set([Group.objects.get(name=Role.OFFICER)])
    assert client.get(board).status_code == 403  # an officer without an institution
    department_user.groups.set([Group.objects.get(name=Role.COMMISSION)])
    assert client.get(board).status_code == 200
    assert role_of(UserBackend().get_user(department_user.pk)) == Role.COMMISSION


def test_an_inactive_or_deleted_user_is_nobody(client_for, officer_a):
    client = client_for(officer_a)
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    assert UserBackend().get_user(officer_a.pk) is None
    response = client.get(reverse("institutions:officer_home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert UserBackend().get_user(officer_a.pk + 1000) is None


def test_a_session_of_django_s_backend_stays_signed_in(client_for, officer_a):
    client = client_for(officer_a)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(reverse("institutions:officer_home")).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserBackend"
    assert client.session[SESSION_KEY] == str(officer_a.pk)


def test_a_session_of_an_unknown_backend_is_signed_out(client_for, officer_a):
    client = client_for(officer_a)
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    assert client.get(reverse("institutions:officer_home")).status_code == 302


def test_a_changed_password_signs_the_other_sessions_out(client_for, officer_a):
    client = client_for(officer_a)
    officer_a.set_password("a new and long password 2026")
    officer_a.save()
    assert client.get(reverse("institutions:officer_home")).status_code == 302
