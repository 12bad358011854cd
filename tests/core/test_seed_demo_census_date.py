"""`make run` seeds and serves the demo as of a census date inside the 2021 tablet window
(CENSUS_TODAY=2021-10-12): every event is dated in the campaign, on or before that day, and
what depends on the date (stale tablets, the window's reminders) is there on first sign-in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from equipment.models import KitReturn
from institutions.selectors import campaign_get_active
from reminders.models import Reminder
from respondents.models import ListTransition, RespondentList
from sync.models import SyncRecord
from sync.selectors import tablet_board

pytestmark = pytest.mark.django_db
CENSUS_DAY = dt.date(2021, 10, 12)


def test_seed_demo_on_a_census_date_dates_every_event_in_the_campaign(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_PASSWORD = "demo-pass-123"
    with override_settings(CENSUS_TODAY=CENSUS_DAY):
        call_command("seed_demo", stdout=io.StringIO())
        campaign = campaign_get_active()
        dept = User.objects.get(username="dept")
        stale = [
            row.kit.inventory_number
            for row in tablet_board(user=dept, campaign=campaign)
            if row.stale
        ]
        missing = {
            row.kit.inventory_number: row.forms_missing
            for row in tablet_board(user=dept, campaign=campaign)
        }
        client.force_login(dept)
        board = client.get(reverse("sync:board"), {"stale": "1"}).content.decode()
        holding = client.get(reverse("sync:board"), {"holding": "1"}).content.decode()
        counts = (SyncRecord.objects.count(), Reminder.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (SyncRecord.objects.count(), Reminder.objects.count()) == counts

    assert "AKM-TAB-0002" in stale  # synced three days ago
    assert "AKM-TAB-0001" not in stale  # an hour ago
    assert "AKM-TAB-0002" in board
    # The census database has all of AKM-TAB-0002's forms, and all but two of AKM-TAB-0001's.
    assert (missing["AKM-TAB-0001"], missing["AKM-TAB-0002"]) == (2, 0)
    assert "AKM-TAB-0001" in holding
    assert "AKM-TAB-0002" not in holding
    assert Reminder.objects.filter(kind="tablet_no_sync", deadline=CENSUS_DAY).exists()

    def local(moment: dt.datetime) -> dt.date:
        return timezone.localdate(moment)

    received = [local(at) for at in SyncRecord.objects.values_list("received_at", flat=True)]
    assert received
    assert max(received) == CENSUS_DAY
    assert min(received) >= campaign.tablet_start - dt.timedelta(days=30)
    reviewed = RespondentList.objects.exclude(submitted_at=None).values_list(
        "submitted_at", flat=True
    )
    assert reviewed
    assert all(local(at) < campaign.list_submission_deadline for at in reviewed)
    transitions = ListTransition.objects.values_list("at", flat=True)
    assert all(local(at) < campaign.list_submission_deadline for at in transitions)
    assert all(r.returned_on <= CENSUS_DAY for r in KitReturn.objects.all())
    assert max(Reminder.objects.values_list("due_date", flat=True)) <= CENSUS_DAY
