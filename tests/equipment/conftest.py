"""Fixtures for the equipment tests: staff members of institutions A and B and a helper
that hands kits over through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equipment.services import handover_act_create, handover_act_sign
from tests.equipment.factories import TabletKitFactory
from tests.factories import ResponsibleStaffFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan(name: str = "act.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_a(institution_a):
    return ResponsibleStaffFactory(institution=institution_a, full_name="Әлия Қасымова")


@pytest.fixture
def staff_b(institution_b):
    return ResponsibleStaffFactory(institution=institution_b, full_name="Борис Петров")


@pytest.fixture
def kits(db):
    return TabletKitFactory.create_batch(3)


@pytest.fixture
def make_act(department_user):
    def make(*, staff, kits, sign: bool = False, **extra):
        act = handover_act_create(
            actor=department_user,
            institution=staff.institution,
            received_by=staff,
            kits=kits,
            act_date=extra.pop("act_date", dt.date(2021, 9, 20)),
            instruction_booklets=extra.pop("instruction_booklets", 2),
            certificate_blanks=extra.pop("certificate_blanks", 0),
            **extra,
        )
        if sign:
            act = handover_act_sign(
                actor=department_user,
                act=act,
                department_signed_on=act.act_date,
                recipient_signed_on=act.act_date,
                signed_scan=scan(),
            ).act
        return act

    return make
