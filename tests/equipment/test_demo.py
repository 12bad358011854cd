import io

import pytest
from django.core.management import call_command

from equipment.choices import ActStatus, KitState
from equipment.models import HandoverAct, HandoverItem, TabletKit

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_seed_demo_has_acts_in_every_state_and_is_idempotent(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    assert set(HandoverAct.objects.values_list("status", flat=True)) == set(ActStatus.values)
    # Every demo return lost a component, so those kits are incomplete rather than returned.
    expected = {KitState.IN_STOCK, KitState.HANDED_OVER, KitState.INCOMPLETE, KitState.IN_REPAIR}
    assert expected <= set(TabletKit.objects.values_list("state", flat=True))
    counts = (TabletKit.objects.count(), HandoverAct.objects.count(), HandoverItem.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        TabletKit.objects.count(),
        HandoverAct.objects.count(),
        HandoverItem.objects.count(),
    )
    officer_act = HandoverAct.objects.get(institution__users__username="officer")
    assert officer_act.status == ActStatus.SIGNED


def test_seed_demo_shows_a_refused_then_overridden_return_and_unaccounted_blanks(
    settings, seeded_demo
):
    from accounts.models import User
    from equipment.models import KitReturn
    from equipment.selectors import certificate_blanks

    settings.DEMO_PASSWORD = "demo-pass-123"
    assert "Return of AKM-TAB-0013 refused" in seeded_demo.output  # the first seeding's
    overridden = KitReturn.objects.exclude(override_reason="").get()
    assert overridden.items.get().kit.inventory_number == "AKM-TAB-0013"
    assert "DEPT-FLASH-05" in overridden.override_blockers[0]["message"]
    rows, total = certificate_blanks(user=User.objects.get(username="dept"))
    assert any(row.unaccounted > 0 and row.returned > 0 for row in rows)
    assert total.unaccounted > 0
    call_command("seed_demo", stdout=io.StringIO())
    assert KitReturn.objects.exclude(override_reason="").count() == 1
