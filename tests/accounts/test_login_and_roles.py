import pytest
from django.urls import reverse

from accounts.roles import Role, role_of
from accounts.scoping import scope_queryset
from institutions.models import Institution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Кіру"), ("ru", "Войти"), ("en", "Sign in")],
)
def test_login_page_renders_in_each_language(client, language, expected):
    client.cookies["census_language"] = language
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


def test_default_language_is_kazakh(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="")
    assert 'lang="kk"' in response.content.decode()


def test_department_user_reaches_the_admin(client_for, department_user):
    response = client_for(department_user).get(reverse("admin:index"))
    assert response.status_code == 200


def test_officer_is_refused_the_admin(client_for, officer_a):
    response = client_for(officer_a).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_officer_signs_in_to_the_officer_pages(client, officer_a):
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": "pass-for-tests-1"}
    )
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("institutions:officer_home")


def test_home_sends_each_role_to_its_start_page(
    client_for, officer_a, department_user, commission_user
):
    assert client_for(officer_a).get("/")["Location"] == reverse("institutions:officer_home")
    assert client_for(department_user).get("/")["Location"] == reverse(
        "institutions:department_home"
    )
    assert client_for(commission_user).get("/")["Location"] == reverse(
        "institutions:department_home"
    )


def test_officer_cannot_open_department_overview(client_for, officer_a):
    assert client_for(officer_a).get(reverse("institutions:department_home")).status_code == 403


def test_language_choice_is_remembered_for_the_user(client_for, officer_a):
    client = client_for(officer_a)
    client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})
    officer_a.refresh_from_db()
    assert officer_a.language == "ru"
    client.cookies.clear()
    client.force_login(officer_a)
    response = client.get(reverse("institutions:officer_home"))
    assert 'lang="ru"' in response.content.decode()


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_roles_are_derived_from_groups_and_institution(officer_a, department_user, commission_user):
    assert role_of(officer_a) == Role.OFFICER
    assert role_of(department_user) == Role.DEPARTMENT
    assert role_of(commission_user) == Role.COMMISSION


def test_scope_narrows_officer_to_own_institution(
    officer_a, institution_a, institution_b, department_user
):
    officer_sees = scope_queryset(Institution.objects.all(), user=officer_a, institution_path="")
    assert list(officer_sees) == [institution_a]
    department_sees = scope_queryset(
        Institution.objects.all(), user=department_user, institution_path=""
    )
    assert set(department_sees) == {institution_a, institution_b}


def test_inactive_or_roleless_users_see_nothing(officer_a, institution_a):
    from tests.factories import UserFactory

    assert not scope_queryset(
        Institution.objects.all(), user=UserFactory(), institution_path=""
    ).exists()
    officer_a.is_active = False
    assert not scope_queryset(
        Institution.objects.all(), user=officer_a, institution_path=""
    ).exists()


def test_role_groups_carry_permissions():
    from django.contrib.auth.models import Group

    department = Group.objects.get(name=Role.DEPARTMENT)
    commission = Group.objects.get(name=Role.COMMISSION)
    assert department.permissions.filter(codename="change_institution").exists()
    assert commission.permissions.filter(codename="view_institution").exists()
    assert not commission.permissions.filter(codename="change_institution").exists()
