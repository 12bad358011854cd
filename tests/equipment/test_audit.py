"""Acts name responsible staff: opening, printing and downloading one is on the audit trail."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _events(user):
    """What the user did after signing in."""
    return AuditEvent.objects.filter(actor=user).exclude(action=AuditAction.LOGIN).order_by("pk")


def test_printing_an_act_records_a_print_row(client_for, officer_a, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    response = client_for(officer_a).get(
        reverse("equipment:act_pdf", args=[act.pk]), {"lang": "ru"}
    )
    assert response.status_code == 200
    event = _events(officer_a).get()
    assert event.action == AuditAction.PRINT
    assert event.object_type == "equipment.handoveract"
    assert event.object_id == str(act.pk)
    assert event.institution == staff_a.institution
    assert event.extra == {"language": "ru"}


def test_act_page_scan_download_and_api_are_audited(client_for, officer_a, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    client = client_for(officer_a)
    client.get(reverse("equipment:act_detail", args=[act.pk]))
    client.get(reverse("equipment:act_scan", args=[act.pk]))
    client.get("/api/v1/equipment/acts/", {"status": "signed"})
    client.get(f"/api/v1/equipment/acts/{act.pk}/")
    events = list(_events(officer_a))
    assert [event.action for event in events] == [
        AuditAction.VIEW,
        AuditAction.VIEW,
        AuditAction.SEARCH,
        AuditAction.VIEW,
    ]
    assert events[1].extra == {"file": "signed_scan"}
    assert events[2].extra == {"filters": ["status"]}
    assert {event.institution for event in events if event.object_id} == {staff_a.institution}


def test_signed_scan_of_another_institution_is_404_and_recorded_as_refused(
    client_for, officer_b, make_act, staff_a, kits
):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    response = client_for(officer_b).get(reverse("equipment:act_scan", args=[act.pk]))
    assert response.status_code == 404
    assert [event.action for event in _events(officer_b)] == [AuditAction.ACCESS_DENIED]
