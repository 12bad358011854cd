"""The demo seeded as `make run` seeds it, on its census date (not the shared demo of
test_demo.py, seeded on the real date)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from census_coord import clock
from institutions.choices import ReportState
from institutions.demo import demo_bin
from institutions.filters import ReportedItemFilterSet
from institutions.models import Seminar, SeminarAttendance
from institutions.selectors import (
    campaign_get_active,
    reported_item_list,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_has_reported_items_in_every_state_and_an_upcoming_seminar(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    settings.CENSUS_TODAY = dt.date(2021, 10, 12)  # the demo's census date (Makefile)
    call_command("seed_demo", stdout=io.StringIO())
    queue = reported_item_list(user=User.objects.get(username="dept"))
    assert {row.item.report_state for row in queue} == set(ReportState.values)
    assert {row.kind for row in queue} == {"order", "staff", "provisioning", "attendance"}
    # The demo officer's institution has an item returned with a comment on its home page.
    officer = User.objects.get(username="officer")
    returned = reported_item_list(
        user=officer, filters=ReportedItemFilterSet({"state": ReportState.RETURNED}, user=officer)
    )
    assert [row.institution.bin for row in returned] == [demo_bin(1)]
    assert returned[0].item.review_comment
    upcoming = Seminar.objects.filter(date__gt=clock.today(), campaign=campaign_get_active())
    assert SeminarAttendance.objects.filter(seminar__in=upcoming, attended=False).count() == 3
    queue_size = len(queue)
    call_command("seed_demo", stdout=io.StringIO())
    assert len(reported_item_list(user=User.objects.get(username="dept"))) == queue_size
