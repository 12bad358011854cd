"""Factories for training and provisioning."""

from __future__ import annotations

import datetime as dt

import factory

from institutions.models import Campaign, Provisioning, Seminar, SeminarAttendance
from tests.factories import DepartmentUserFactory, ResponsibleStaffFactory


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    campaign = factory.LazyFunction(lambda: Campaign.objects.get(is_active=True))
    date = dt.date(2021, 7, 15)
    place = "Көкшетау, Абай к-сі, 96"
    topics = "Санақ парақтарын толтыру"
    conducted_by = factory.SubFactory(DepartmentUserFactory)


class SeminarAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarAttendance

    seminar = factory.SubFactory(SeminarFactory)
    staff = factory.SubFactory(ResponsibleStaffFactory)
    attended = True


class ProvisioningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provisioning

    staff = factory.SubFactory(ResponsibleStaffFactory)
    premises_provided = True
    premises_date = dt.date(2021, 8, 1)
    computer_provided = True
    computer_date = dt.date(2021, 8, 1)
