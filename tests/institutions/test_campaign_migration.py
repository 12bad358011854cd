"""Staff, appointment orders and provisioning recorded before they belonged to a campaign
go to the active campaign when the database migrates forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from institutions.models import AppointmentOrder, Campaign, Provisioning, ResponsibleStaff

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("institutions", "0006_institutions_report_their_staff")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def test_existing_rows_go_to_the_active_campaign(institution_a):
    try:
        old = _migrate([BEFORE]).loader.project_state(BEFORE).apps
        order = old.get_model("institutions", "AppointmentOrder").objects.create(
            institution_id=institution_a.pk,
            number="7-ө",
            date=dt.date(2021, 5, 4),
            signed_by="Басшы",
        )
        staff = old.get_model("institutions", "ResponsibleStaff").objects.create(
            institution_id=institution_a.pk, full_name="Бұрынғы Қызметкер", order_id=order.pk
        )
        provisioning = old.get_model("institutions", "Provisioning").objects.create(
            staff_id=staff.pk, premises_provided=True, premises_date=dt.date(2021, 8, 1)
        )
    finally:
        _migrate(None)
    active = Campaign.objects.get(is_active=True)
    assert AppointmentOrder.objects.get(pk=order.pk).campaign == active
    assert ResponsibleStaff.objects.get(pk=staff.pk).campaign == active
    assert Provisioning.objects.get(pk=provisioning.pk).campaign == active
