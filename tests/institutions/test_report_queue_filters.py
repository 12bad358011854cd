"""The review queue's filters are one FilterSet over its four kinds of item
(``institutions.filters.ReportedItemFilterSet``): they narrow the queue, an unknown value
narrows nothing, and a regional department sees only its region whatever it asks for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from institutions.models import District, Region
from tests.factories import DepartmentUserFactory
from tests.institutions.test_staff_reports import _report_order, _report_staff

pytestmark = pytest.mark.django_db
URL = "institutions:report_queue"


def test_queue_filters_narrow_and_an_unknown_value_is_ignored(
    client_for, officer_a, officer_b, department_user
):
    _report_staff(officer_a, _report_order(officer_a), full_name="Иванова Елена")
    _report_order(officer_b, number="7-ө")
    client = client_for(department_user)
    url = reverse(URL)
    by_district = client.get(url, {"district": officer_a.institution.district.code}).content
    assert "Иванова Елена" in by_district.decode()
    assert "7-ө" in by_district.decode()
    only_b = client.get(url, {"institution": officer_b.institution.bin}).content.decode()
    assert "7-ө" in only_b
    assert "Иванова Елена" not in only_b
    unknown = client.get(url, {"kind": "letter", "institution": "000000000000"}).content
    assert "Иванова Елена" in unknown.decode()
    assert "7-ө" in unknown.decode()


def test_regional_department_sees_none_of_another_regions_items(client_for, officer_a):
    _report_order(officer_a, number="9-ө")
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    District.objects.create(region=elsewhere, code="far", name_kk="Алыс", name_ru="Дальний")
    client = client_for(DepartmentUserFactory(region=elsewhere))
    for params in ({}, {"state": ""}, {"institution": officer_a.institution.bin}):
        response = client.get(reverse(URL), params)
        assert response.status_code == 200
        assert "9-ө" not in response.content.decode()
    offered = set(response.context["form"].fields["district"].queryset)
    assert offered == set(District.objects.filter(region=elsewhere))


def test_officers_have_no_queue(client_for, officer_a):
    assert client_for(officer_a).get(reverse(URL), {"state": ""}).status_code == 403
