import pytest
import tablib

from audit.models import AuditAction, AuditEvent
from equipment.choices import Condition, KitState
from equipment.models import TabletKit
from equipment.resources import TabletKitResource
from tests.equipment.factories import imei_with_check_digit

pytestmark = pytest.mark.django_db

HEADERS = ["inventory_number", "serial", "imei", "model", "stylus", "state"]


def _import(rows, *, dry_run=False):
    return TabletKitResource().import_data(tablib.Dataset(*rows, headers=HEADERS), dry_run=dry_run)


def test_import_matches_kits_on_serial_and_imei():
    imei = imei_with_check_digit("35000000000001")
    result = _import([("INV-1", "SN-1", imei, "Tab A7", "", "")])
    assert not result.has_errors()
    assert not result.has_validation_errors()
    kit = TabletKit.objects.get(serial="SN-1")
    assert kit.components["stylus"] == Condition.GOOD

    # Same serial and IMEI: the row updates the kit, it does not add one; state is ignored.
    result = _import([("INV-1", "SN-1", imei, "Tab A8", "absent", "lost_damaged")])
    assert not result.has_errors()
    assert not result.has_validation_errors()
    kit.refresh_from_db()
    assert TabletKit.objects.count() == 1
    assert kit.model == "Tab A8"
    assert kit.components["stylus"] == Condition.ABSENT
    assert kit.state == KitState.IN_STOCK


def test_import_rejects_bad_imei_and_condition():
    result = _import(
        [
            ("INV-2", "SN-2", "123", "Tab", "", ""),
            ("INV-3", "SN-3", imei_with_check_digit("35000000000003"), "Tab", "broken-ish", ""),
        ]
    )
    assert result.has_validation_errors() or result.has_errors()
    assert TabletKit.objects.count() == 0


def test_export_has_component_columns(make_act, staff_a, kits):
    make_act(staff=staff_a, kits=kits[:1])
    dataset = TabletKitResource().export()
    assert {"serial", "imei", "stylus", "power_bank_cable", "state", "holder_bin"} <= set(
        dataset.headers
    )
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["holder_bin"] == staff_a.institution.bin
    assert row["stylus"] == "good"


def test_officer_sees_no_kits_in_admin(client_for, officer_a):
    assert client_for(officer_a).get("/admin/equipment/tabletkit/").status_code == 302


def test_department_admin_kit_pages_work(client_for, department_user, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    client = client_for(department_user)
    page = client.get(f"/admin/equipment/handoveract/{act.pk}/change/")
    assert page.status_code == 200
    assert f"/equipment/acts/{act.pk}/scan/" in page.content.decode()
    assert client.get("/admin/equipment/tabletkit/").status_code == 200
    assert client.get(f"/admin/equipment/tabletkit/{kits[0].pk}/change/").status_code == 200
    assert client.get("/admin/equipment/tabletkit/import/").status_code == 200
    assert client.get("/admin/equipment/handoveract/").status_code == 200


def test_import_is_audited_with_it_and_a_preview_is_not(department_user):
    rows = [("INV-4", "SN-4", imei_with_check_digit("35000000000004"), "Tab", "", "")]
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    TabletKitResource().import_data(dataset, dry_run=True, user=department_user)
    assert not AuditEvent.objects.exists()
    TabletKitResource().import_data(dataset, user=department_user)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_type) == (
        AuditAction.IMPORT,
        department_user,
        "equipment.tabletkit",
    )
    assert (event.record_count, event.extra) == (1, {"totals": {"new": 1}})
