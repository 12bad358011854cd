"""FilterSets of the staff routes of the API (``institutions.api.staff``): what an
institution reported, by its review state and by the institution's BIN."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from institutions.choices import ReportState
from institutions.models import AppointmentOrder, Provisioning, ResponsibleStaff, SeminarAttendance


def _state() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=_("Review state"), choices=ReportState.choices, field_name="report_state"
    )


def _institution(path: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(label=_("Institution (BIN)"), field_name=f"{path}__bin")


class AppointmentOrderFilterSet(django_filters.FilterSet):
    report_state = _state()
    institution = _institution("institution")

    class Meta:
        model = AppointmentOrder
        fields = ["report_state", "institution"]


class StaffFilterSet(django_filters.FilterSet):
    report_state = _state()
    institution = _institution("institution")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = ResponsibleStaff
        fields = ["report_state", "institution", "is_active"]


class ProvisioningFilterSet(django_filters.FilterSet):
    report_state = _state()
    institution = _institution("staff__institution")

    class Meta:
        model = Provisioning
        fields = ["report_state", "institution"]


class SeminarAttendanceFilterSet(django_filters.FilterSet):
    report_state = _state()
    institution = _institution("staff__institution")
    seminar = django_filters.NumberFilter(label=_("Seminar"), field_name="seminar_id")

    class Meta:
        model = SeminarAttendance
        fields = ["report_state", "institution", "seminar"]
