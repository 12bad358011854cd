"""The sync board's stale filter and the sync-records API's filters are FilterSets
(``sync.filters``): they narrow what is shown, never beyond the user's institution."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.sync.factories import kit_hand_over, vpn_sync

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.datetime(2021, 10, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def tablets(settings, department_user, staff_a, staff_b):
    settings.SYNC_STALE_HOURS = 24
    with time_machine.travel(IN_WINDOW - dt.timedelta(days=3), tick=False):
        silent_a, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        silent_b, _key = kit_hand_over(department_user=department_user, staff=staff_b)
    with time_machine.travel(IN_WINDOW - dt.timedelta(hours=2), tick=False):
        fresh_a, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        vpn_sync(fresh_a)
    return {"silent_a": silent_a, "silent_b": silent_b, "fresh_a": fresh_a}


def _shown(client, params, tablets):
    html = client.get(reverse("sync:board"), params).content.decode()
    return {name for name, kit in tablets.items() if kit.inventory_number in html}


def test_stale_filter_narrows_the_board_to_the_stale_tablets(client_for, department_user, tablets):
    with time_machine.travel(IN_WINDOW, tick=False):
        client = client_for(department_user)
        assert _shown(client, {}, tablets) == {"silent_a", "silent_b", "fresh_a"}
        assert _shown(client, {"stale": "1"}, tablets) == {"silent_a", "silent_b"}
        assert _shown(client, {"stale": "yes"}, tablets) == set(tablets)  # unknown: ignored


def test_officer_stale_filter_shows_only_own_tablets(client_for, officer_a, tablets):
    with time_machine.travel(IN_WINDOW, tick=False):
        client = client_for(officer_a)
        assert _shown(client, {}, tablets) == {"silent_a", "fresh_a"}
        assert _shown(client, {"stale": "1"}, tablets) == {"silent_a"}


def test_sync_records_api_filters_by_channel_and_names_an_unknown_value(
    client_for, officer_a, tablets
):
    vpn_sync(tablets["silent_b"])  # institution B's: never in A's answer
    client = client_for(officer_a)
    url = "/api/v1/sync-records/"
    vpn = client.get(url, {"channel": "vpn"}).json()
    assert [row["kit"] for row in vpn["results"]] == [tablets["fresh_a"].inventory_number]
    assert client.get(url, {"channel": "usb"}).json()["results"] == []
    refused = client.get(url, {"channel": "pigeon"})
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json()["errors"]] == ["channel"]
