"""The demo keeps 2021 active and shows history: a closed 2020 pilot campaign with its own
lists, outcomes, certificates and a kit act, readable once chosen in the header."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from enumeration.models import Certificate
from equipment.choices import ActStatus
from equipment.models import HandoverAct
from institutions.demo import PILOT_CODE
from institutions.models import Campaign
from respondents.choices import ListStatus
from respondents.models import RespondentList

# The demo is seeded once for the module (tests/demo_db.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_the_demo_has_a_closed_pilot_campaign_with_its_own_history(client):
    active = Campaign.objects.get(is_active=True)
    pilot = Campaign.objects.get(code=PILOT_CODE)
    assert active.code == "census-2021"
    assert not pilot.is_active
    lists = RespondentList.objects.filter(campaign=pilot)
    assert lists.count() == 3
    assert set(lists.values_list("status", flat=True)) == {ListStatus.ACCEPTED}
    assert HandoverAct.objects.get(campaign=pilot).status == ActStatus.CLOSED
    certificates = Certificate.objects.filter(campaign=pilot)
    assert certificates.count() == 5

    dept = User.objects.get(username="dept")
    User.objects.filter(pk=dept.pk).update(language="en")
    client.force_login(dept)
    register = reverse("enumeration:certificates")
    issued_2021 = Certificate.objects.filter(campaign=active).count()
    assert f"Certificates issued: {issued_2021}" in client.get(register).content.decode()
    client.post(reverse("institutions:campaign_select"), {"campaign": pilot.pk})
    page = client.get(register).content.decode()
    assert "Certificates issued: 5" in page
    first = certificates.order_by("number").first()
    assert first.respondent.full_name in page
    acts = client.get(reverse("equipment:act_list")).content.decode()
    pilot_act = HandoverAct.objects.get(campaign=pilot)
    assert reverse("equipment:act_detail", args=[pilot_act.pk]) in acts
