import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, role_of
from institutions.services import staff_deactivate, staff_invite_officer
from tests.factories import ResponsibleStaffFactory, legacy_person_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_a(institution_a):
    return ResponsibleStaffFactory(
        institution=institution_a, full_name="Ахметова Айгүл", email="Aigul@Example.kz"
    )


def _invite(staff, department_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return staff_invite_officer(
            actor=department_user, staff=staff, base_url="http://testserver/"
        )


def test_invite_creates_an_officer_and_emails_a_set_password_link(
    client, staff_a, department_user, django_capture_on_commit_callbacks
):
    user = _invite(staff_a, department_user, django_capture_on_commit_callbacks)
    staff_a.refresh_from_db()
    assert staff_a.user == user
    assert user.institution_id == staff_a.institution_id
    assert role_of(user) == Role.OFFICER
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigul@example.kz"]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sanaq-2021-kokshe", "new_password2": "Sanaq-2021-kokshe"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sanaq-2021-kokshe")


def test_invite_twice_is_refused(staff_a, department_user, django_capture_on_commit_callbacks):
    _invite(staff_a, department_user, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as info:
        _invite(staff_a, department_user, django_capture_on_commit_callbacks)
    assert info.value.code == "staff_has_account"
    assert User.objects.filter(email="aigul@example.kz").count() == 1


def test_invite_without_email_is_refused_and_changes_nothing(
    institution_a, department_user, django_capture_on_commit_callbacks
):
    staff = ResponsibleStaffFactory(institution=institution_a, email="")
    users = User.objects.count()
    with pytest.raises(ValidationError) as info:
        _invite(staff, department_user, django_capture_on_commit_callbacks)
    assert info.value.code == "staff_email_missing"
    assert User.objects.count() == users
    assert mail.outbox == []


def test_deactivating_staff_ends_sessions_and_tokens_at_once(
    client, staff_a, department_user, django_capture_on_commit_callbacks
):
    user = _invite(staff_a, department_user, django_capture_on_commit_callbacks)
    user.set_password("Sanaq-2021-kokshe")
    user.save()
    client.force_login(user)
    assert client.get(reverse("institutions:officer_home")).status_code == 200
    token, key = legacy_person_token(user)

    staff_deactivate(actor=department_user, staff=staff_a)

    staff_a.refresh_from_db()
    user.refresh_from_db()
    token.refresh_from_db()
    assert not staff_a.is_active
    assert staff_a.active_to is not None
    assert not user.is_active
    assert token.is_revoked
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert client.get(reverse("institutions:officer_home")).status_code == 302
    api = client.get("/api/v1/institutions/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401


def test_admin_actions_invite_and_deactivate(
    client_for, staff_a, department_user, django_capture_on_commit_callbacks
):
    client = client_for(department_user)
    url = reverse("admin:institutions_responsiblestaff_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "invite_officer", "_selected_action": [staff_a.pk]})
    staff_a.refresh_from_db()
    assert staff_a.user is not None
    assert len(mail.outbox) == 1
    client.post(url, {"action": "deactivate", "_selected_action": [staff_a.pk]})
    staff_a.refresh_from_db()
    assert not staff_a.is_active
    assert not staff_a.user.is_active


def test_department_admin_pages_render(client_for, department_user, staff_a):
    client = client_for(department_user)
    for name in (
        "admin:institutions_institution_changelist",
        "admin:institutions_responsiblestaff_changelist",
        "admin:institutions_seminar_changelist",
        "admin:institutions_seminar_add",
        "admin:institutions_institution_import",
        "admin:accounts_apitoken_add",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    change = reverse("admin:institutions_responsiblestaff_change", args=[staff_a.pk])
    assert client.get(change).status_code == 200


def test_staff_changelist_marks_trained_by_the_readiness_rule_in_constant_queries(
    client_for, department_user, institution_a, django_assert_max_num_queries
):
    from institutions.models import Campaign
    from tests.institutions.factories import SeminarAttendanceFactory, SeminarFactory

    current = Campaign.objects.get(is_active=True)
    old = Campaign.objects.create(
        code="census-2009",
        name_en="2009",
        list_reference_date=dt.date(2009, 2, 1),
        list_submission_deadline=dt.date(2009, 2, 10),
        critical_moment=current.critical_moment.replace(year=2009),
        online_start=dt.date(2009, 2, 25),
        online_end=dt.date(2009, 3, 6),
        tablet_start=dt.date(2009, 2, 25),
        tablet_end=dt.date(2009, 3, 6),
        kit_return_deadline=dt.date(2009, 4, 1),
    )
    seminar, old_seminar = SeminarFactory(), SeminarFactory(campaign=old)
    for n in range(10):
        staff = ResponsibleStaffFactory(institution=institution_a, full_name=f"Staff {n:02}")
        SeminarAttendanceFactory(seminar=seminar if n % 2 else old_seminar, staff=staff)
    client = client_for(department_user)
    url = reverse("admin:institutions_responsiblestaff_changelist")
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(16):
        response = client.get(url)
    trained = {row.full_name: row.trained for row in response.context["cl"].result_list}
    # Only this campaign's seminar counts, as on the readiness board.
    assert trained == {f"Staff {n:02}": bool(n % 2) for n in range(10)}
