import io

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role, role_of
from institutions.models import Institution, ResponsibleStaff

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "institutions": Institution.objects.count(),
        "staff": ResponsibleStaff.objects.count(),
    }


def test_seed_demo_is_idempotent(settings):
    settings.DEMO_PASSWORD = ""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "password:" in out.getvalue()
    first = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert "password unchanged" in out.getvalue()


def test_seed_demo_creates_the_three_roles(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=io.StringIO())
    assert role_of(User.objects.get(username="dept")) == Role.DEPARTMENT
    assert role_of(User.objects.get(username="commission")) == Role.COMMISSION
    officer = User.objects.get(username="officer")
    assert role_of(officer) == Role.OFFICER
    assert officer.check_password("demo-pass-123")
    assert officer.staff_record.institution_id == officer.institution_id
    assert Institution.objects.values("district").distinct().count() >= 10
    assert Institution.objects.values("type").distinct().count() == 16
