import io

import pytest
from django.core.management import call_command

from accounts.models import User
from institutions.models import Provisioning, SeminarAttendance
from institutions.selectors import (
    campaign_get_active,
    institution_readiness_list,
)

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
# The demo seeded on a census date: test_demo_census_day.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_seed_demo_fills_every_state_of_readiness(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    board = institution_readiness_list(
        user=User.objects.get(username="dept"), campaign=campaign_get_active()
    )
    done_counts = {row.done_count for row in board}
    assert len(done_counts) >= 4  # institutions at many different stages
    for code in ("staff_appointed", "staff_trained", "staff_provisioned"):
        states = {{i.code: r.done for i, r in row.results}[code] for row in board}
        assert states == {True, False}, code
    counts = (SeminarAttendance.objects.count(), Provisioning.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (SeminarAttendance.objects.count(), Provisioning.objects.count()) == counts
