"""The sync board's rows (``sync_rows.sync_board_rows``): each cell for a tablet with no,
one and several syncs, the badges, and what an officer's board leaves out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.sync.factories import kit_hand_over, usb_offload, vpn_sync

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.datetime(2021, 10, 10, 12, 0, tzinfo=dt.UTC)  # 18:00 in Almaty
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def _row(html: str, kit) -> list[str]:
    """The cells of the kit's row, their text without tags and outer blanks."""
    row = next(row for row in html.split("<tr>") if f">{kit.inventory_number}<" in row)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in CELL.findall(row)]


def test_sync_board_cells_for_no_one_and_several_syncs(
    client_for, department_user, officer_a, staff_a, staff_b, settings
):
    settings.SYNC_STALE_HOURS = 24
    with time_machine.travel(IN_WINDOW - dt.timedelta(hours=5), tick=False):
        silent, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        once, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        many, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        other, _key = kit_hand_over(department_user=department_user, staff=staff_b)
        vpn_sync(once, form_count=1, sent_at=IN_WINDOW - dt.timedelta(hours=5, minutes=2))
        vpn_sync(many, form_count=4)
    with time_machine.travel(IN_WINDOW - dt.timedelta(hours=1), tick=False):
        usb_offload(many, actor=department_user, form_count=6)
        usb_offload(many, actor=department_user, form_count=7, media_id="FLASH-08")
    with time_machine.travel(IN_WINDOW, tick=False):
        html = client_for(department_user).get(reverse("sync:board")).content.decode()
        institution = staff_a.institution.name_kk
        # Kit, status, institution, last sync, forms in the last and in all syncs, forms
        # received by the census database (none imported), missing, last delivery, skew.
        assert _row(html, silent) == [
            silent.inventory_number, "ескірген", institution, "ешқашан", "—", "0",
            "0", "0", "—", "—",
        ]  # fmt: skip
        assert _row(html, once) == [
            once.inventory_number,
            "синхрондалуда",
            institution,
            "10.10.2021 13:00 VPN · 5 сағат бұрын",
            "1",
            "1",
            "0",
            "1",
            "—",
            "-2",
        ]
        assert '<span class="badge badge-warn">1</span>' in html  # one form missing
        assert _row(html, many) == [
            many.inventory_number,
            "синхрондалуда жүктелмеген түсірулер: 2",
            institution,
            "10.10.2021 17:00 USB арқылы түсіру · 1 сағат бұрын",
            "7",
            "17",
            "0",
            "17",
            "—",
            "0",
        ]
        # The next request reads afresh (the board's query is built once per campaign).
        vpn_sync(once, form_count=2, sent_at=IN_WINDOW)
        html = client_for(department_user).get(reverse("sync:board")).content.decode()
        assert _row(html, once)[3:6] == ["10.10.2021 18:00 VPN · 0 сағат бұрын", "2", "3"]
        officer = client_for(officer_a).get(reverse("sync:board")).content.decode()
        assert _row(officer, once) == [
            once.inventory_number, "синхрондалуда", "10.10.2021 18:00 VPN · 0 сағат бұрын",
            "2", "3", "0", "3", "—", "0",
        ]  # fmt: skip
        assert 'href="/sync/kits/' not in officer  # an officer issues no device key
        assert other.inventory_number in html
        assert other.inventory_number not in officer  # another institution's tablet
