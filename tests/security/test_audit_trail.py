"""The audit trail: a scripted session leaves the rows it should, and nothing can
rewrite them."""

from __future__ import annotations

import logging

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.masking import MaskPersonalNumbersFilter
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db

IIN = "900101300011"


def _actions(user=None):
    events = AuditEvent.objects.order_by("pk")
    if user is not None:
        events = events.filter(actor=user)
    return [event.action for event in events]


def test_scripted_session_leaves_an_audit_row_for_each_act(client, department_user, institution_a):
    login = client.post(
        reverse("accounts:login"),
        {"username": department_user.username, "password": "pass-for-tests-1"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox",
    )
    assert login.status_code == 302
    client.get(reverse("institutions:institution_detail", args=[institution_a.pk]))
    client.get(reverse("institutions:department_home"), {"q": IIN, "district": ""})
    client.get(reverse("institutions:readiness_export"))
    change_url = reverse("admin:institutions_institution_change", args=[institution_a.pk])
    client.get(change_url)
    client.get(reverse("admin:institutions_institution_change", args=[10**9]))
    client.post(reverse("accounts:logout"))

    assert _actions(department_user) == [
        AuditAction.LOGIN,
        AuditAction.VIEW,
        AuditAction.SEARCH,
        AuditAction.EXPORT,
        AuditAction.VIEW,
        AuditAction.LOGOUT,
    ]
    login_event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login_event.ip_address == "198.51.100.7"
    assert login_event.user_agent == "Firefox"
    search = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert search.extra == {"filters": ["q"]}
    assert IIN not in str(AuditEvent.objects.values_list("extra", "object_id", "route"))
    view = AuditEvent.objects.filter(action=AuditAction.VIEW).first()
    assert view.institution == institution_a
    assert view.object_id == str(institution_a.pk)


def test_admin_edit_is_audited(client_for, department_user, institution_a):
    client = client_for(department_user)
    url = reverse("admin:institutions_institution_change", args=[institution_a.pk])
    response = client.post(
        url,
        {
            "bin": institution_a.bin,
            "name_kk": "Жаңа атауы",
            "name_ru": institution_a.name_ru,
            "type": institution_a.type_id,
            "district": institution_a.district_id,
            "expected_residents": 60,
            "responsible_staff-TOTAL_FORMS": 0,
            "responsible_staff-INITIAL_FORMS": 0,
            "staff-TOTAL_FORMS": 0,
            "staff-INITIAL_FORMS": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    change = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert change.actor == department_user
    assert change.institution == institution_a


def test_failed_access_to_another_institution_is_audited(client_for, officer_a, institution_b):
    client = client_for(officer_a)
    response = client.get(reverse("institutions:institution_detail", args=[institution_b.pk]))
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert denied.actor == officer_a
    assert denied.object_id == str(institution_b.pk)
    assert denied.extra["status"] == 404


def test_api_reads_are_audited_with_the_token_marked(client, api_client_a):
    from tests.factories import api_token_key

    key = api_token_key(api_client_a)
    client.get("/api/v1/institutions/", HTTP_AUTHORIZATION=f"Token {key}")
    client.get("/api/v1/institutions/", {"bin": IIN}, HTTP_AUTHORIZATION=f"Token {key}")
    view, search = AuditEvent.objects.filter(actor=api_client_a).order_by("pk")
    assert (view.action, view.record_count, view.via_token) == (AuditAction.VIEW, 1, True)
    assert (search.action, search.extra) == (AuditAction.SEARCH, {"filters": ["bin"]})
    assert view.actor == api_client_a
    assert view.token_prefix == search.token_prefix == key[:8]


def test_audit_rows_cannot_be_updated_deleted_or_truncated(department_user):
    event = audit_record(request_or_actor=department_user, action=AuditAction.VIEW)
    for statement in (
        "UPDATE audit_auditevent SET action = 'login' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with transaction.atomic(), connection.cursor() as cursor:
            with pytest.raises(DatabaseError, match="append-only"):
                cursor.execute(statement, [event.pk])
            transaction.set_rollback(True)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with transaction.atomic(), connection.cursor() as cursor:
        # A connection without the test-only setting cannot truncate either.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL census.audit_allow_truncate = 'off'")
        with pytest.raises(DatabaseError, match="append-only"):
            cursor.execute("TRUNCATE audit_auditevent")
        transaction.set_rollback(True)
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.VIEW).exists()


def test_extra_details_never_keep_an_iin(department_user):
    event = audit_record(
        request_or_actor=department_user,
        action=AuditAction.IMPORT,
        extra={"note": f"row with {IIN}", "rows": [IIN]},
    )
    assert IIN not in str(event.extra)


def test_log_filter_masks_twelve_digit_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "respondent %s saved", (IIN,), None)
    MaskPersonalNumbersFilter().filter(record)
    assert record.getMessage() == "respondent ************ saved"


def test_audit_admin_is_read_only_and_for_department_only(client_for, department_user, officer_a):
    event = audit_record(request_or_actor=department_user, action=AuditAction.VIEW)
    client = client_for(department_user)
    assert (
        client.get(reverse("admin:audit_auditevent_changelist"), {"action": "view"}).status_code
        == 200
    )
    change = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert (
        client_for(officer_a).get(reverse("admin:audit_auditevent_changelist")).status_code == 302
    )
