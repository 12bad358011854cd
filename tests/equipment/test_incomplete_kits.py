"""A kit that comes back without a component is incomplete until the Department replaces it;
going out again needs a confirmation, and the overdue/return report counts what was lost."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from equipment.choices import ActStatus, Component, Condition, KitState, ReturnOutcome
from equipment.models import ComponentReplacement, HandoverAct, TabletKit
from equipment.services import (
    KitReturnLine,
    handover_act_create,
    kit_components_replace,
    kit_return_record,
    kit_state_change,
)

pytestmark = pytest.mark.django_db

RETURNED_ON = dt.date(2021, 11, 5)


def _return(department_user, act, *, tablet=ReturnOutcome.RETURNED, **outcomes):
    item = act.items.get()
    components = dict.fromkeys(Component.values, ReturnOutcome.RETURNED)
    components.update(outcomes)
    return kit_return_record(
        actor=department_user,
        act=act,
        returned_on=RETURNED_ON,
        returned_by=act.received_by,
        lines=[KitReturnLine(item_id=item.pk, tablet_outcome=tablet, components=components)],
    )


@pytest.fixture(autouse=True)
def _pages_in_english(department_user, commission_user):
    # The words asserted below are the English msgids; kk and ru come from the catalogues.
    for user in (department_user, commission_user):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def incomplete_kit(make_act, staff_a, kits, department_user):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    _return(department_user, act, stylus=ReturnOutcome.MISSING, charger=ReturnOutcome.DAMAGED)
    act.refresh_from_db()
    assert act.status == ActStatus.CLOSED
    return TabletKit.objects.get(pk=kits[0].pk)


def test_return_without_stylus_leaves_the_kit_incomplete_not_returned(incomplete_kit):
    assert incomplete_kit.state == KitState.INCOMPLETE
    assert incomplete_kit.components["stylus"] == Condition.ABSENT
    assert incomplete_kit.components["charger"] == Condition.DAMAGED
    assert [code for code, _l, _c in incomplete_kit.defective_components()] == [
        "charger",
        "stylus",
    ]


def test_act_page_says_the_returned_kit_is_incomplete_and_links_the_replacement(
    client_for, department_user, incomplete_kit
):
    act = incomplete_kit.items.get().act
    page = client_for(department_user).get(reverse("equipment:act_detail", args=[act.pk]))
    html = page.content.decode()
    assert f"Kit {incomplete_kit.inventory_number} is incomplete" in html
    assert reverse("equipment:kit_replace", args=[incomplete_kit.pk]) in html


def test_kit_returned_whole_is_returned(make_act, staff_a, kits, department_user):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    _return(department_user, act)
    assert TabletKit.objects.get(pk=kits[0].pk).state == KitState.RETURNED


def test_kit_page_shows_the_kit_incomplete_with_what_is_missing(
    client_for, department_user, incomplete_kit
):
    client = client_for(department_user)
    page = client.get(reverse("equipment:kit_list"), {"state": "incomplete"}).content.decode()
    assert incomplete_kit.inventory_number in page
    assert "charger (damaged), stylus (absent)" in page
    assert reverse("equipment:kit_replace", args=[incomplete_kit.pk]) in page


def test_incomplete_kit_cannot_be_put_in_stock_before_the_replacement(
    department_user, incomplete_kit
):
    with pytest.raises(ValidationError) as caught:
        kit_state_change(actor=department_user, kit=incomplete_kit, state=KitState.IN_STOCK)
    assert caught.value.code == "kit_incomplete"
    # The repair shop is fine.
    kit = kit_state_change(actor=department_user, kit=incomplete_kit, state=KitState.IN_REPAIR)
    assert kit.state == KitState.IN_REPAIR


def test_handing_out_an_incomplete_kit_needs_a_confirmation(
    department_user, staff_b, incomplete_kit
):
    arguments = {
        "actor": department_user,
        "institution": staff_b.institution,
        "received_by": staff_b,
        "kits": [incomplete_kit],
        "act_date": RETURNED_ON,
    }
    with pytest.raises(ValidationError) as caught:
        handover_act_create(**arguments)
    assert caught.value.error_dict["kits"][0].code == "kit_incomplete_unconfirmed"
    assert incomplete_kit.inventory_number in caught.value.messages[0]
    assert not HandoverAct.objects.filter(institution=staff_b.institution).exists()

    act = handover_act_create(**arguments, confirm_incomplete=True)
    item = act.items.get()
    # The act says the kit went out without its stylus: its return is judged by that.
    assert item.components_at_handover["stylus"] == Condition.ABSENT
    assert TabletKit.objects.get(pk=incomplete_kit.pk).state == KitState.HANDED_OVER


def test_act_form_warns_and_the_confirmation_box_lets_it_through(
    client_for, department_user, staff_b, incomplete_kit
):
    client = client_for(department_user)
    url = reverse("equipment:act_create")
    form_page = client.get(url).content.decode()
    assert "incomplete: charger (damaged), stylus (absent)" in form_page
    assert 'name="confirm_incomplete"' in form_page
    data = {
        "received_by": staff_b.pk,
        "act_date": "2021-11-05",
        "kits": [incomplete_kit.pk],
        "instruction_booklets": 0,
        "certificate_blanks": 0,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Record the replacement first" in refused.content.decode()
    assert not HandoverAct.objects.filter(institution=staff_b.institution).exists()
    accepted = client.post(url, {**data, "confirm_incomplete": "on"})
    assert accepted.status_code == 302
    assert HandoverAct.objects.filter(institution=staff_b.institution).count() == 1


def test_department_records_the_replacement_and_the_kit_is_whole_again(
    client_for, department_user, incomplete_kit
):
    client = client_for(department_user)
    url = reverse("equipment:kit_replace", args=[incomplete_kit.pk])
    page = client.get(url).content.decode()
    assert "Stylus (absent)" in page
    # Only the stylus first: the kit stays incomplete while the charger is damaged.
    client.post(url, {"components": ["stylus"], "replaced_on": "2021-11-10", "note": "new"})
    kit = TabletKit.objects.get(pk=incomplete_kit.pk)
    assert kit.state == KitState.INCOMPLETE
    assert kit.components["stylus"] == Condition.GOOD
    response = client.post(url, {"components": ["charger"], "replaced_on": "2021-11-11"})
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.state == KitState.RETURNED
    assert kit.defective_components() == []
    stored = list(
        ComponentReplacement.objects.filter(kit=kit)
        .order_by("replaced_on")
        .values_list("component", "condition_before", "recorded_by")
    )
    assert stored == [
        ("stylus", Condition.ABSENT, department_user.pk),
        ("charger", Condition.DAMAGED, department_user.pk),
    ]
    events = AuditEvent.objects.filter(object_type="equipment.tabletkit", object_id=str(kit.pk))
    assert [event.extra["components"] for event in events.order_by("pk")] == [
        ["stylus"],
        ["charger"],
    ]
    history = client.get(url).content.decode()
    assert "10.11.2021" in history
    assert "nothing to replace" in history


def test_only_a_defective_component_of_a_kit_in_the_store_is_replaced(
    department_user, make_act, staff_a, kits, incomplete_kit
):
    with pytest.raises(ValidationError) as caught:
        kit_components_replace(
            actor=department_user, kit=incomplete_kit, components=["case"], replaced_on=RETURNED_ON
        )
    assert caught.value.error_dict["components"][0].code == "component_not_defective"
    out = make_act(staff=staff_a, kits=kits[1:2]).items.get().kit
    with pytest.raises(ValidationError) as caught:
        kit_components_replace(
            actor=department_user, kit=out, components=["stylus"], replaced_on=RETURNED_ON
        )
    assert caught.value.code == "kit_out"
    assert not ComponentReplacement.objects.exists()


def test_overdue_report_counts_missing_and_damaged_components(
    client_for, commission_user, department_user, make_act, staff_a, kits, incomplete_kit
):
    act = make_act(staff=staff_a, kits=kits[1:2], sign=True)
    _return(department_user, act, tablet=ReturnOutcome.DAMAGED, stylus=ReturnOutcome.MISSING)
    response = client_for(commission_user).get(reverse("equipment:overdue"))
    html = response.content.decode()

    def cells(code: str) -> tuple[str, str]:
        row = html.split(f'data-component="{code}"', 1)[1].split("</tr>", 1)[0]
        numbers = [part.split("</td>", 1)[0] for part in row.split('<td class="num">')[1:]]
        return numbers[0], numbers[1]

    assert cells("stylus") == ("2", "0")
    assert cells("charger") == ("0", "1")
    assert cells("tablet") == ("0", "1")
    assert cells("case") == ("0", "0")
    # The incomplete kit waits for its replacement on the same report.
    assert incomplete_kit.inventory_number in html.split("Kits awaiting replacement", 1)[1]


def test_officer_cannot_replace_components(client_for, officer_a, incomplete_kit):
    url = reverse("equipment:kit_replace", args=[incomplete_kit.pk])
    assert client_for(officer_a).post(url, {"components": ["stylus"]}).status_code == 403
    assert TabletKit.objects.get(pk=incomplete_kit.pk).state == KitState.INCOMPLETE
