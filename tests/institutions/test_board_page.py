"""The readiness board's page as the Department sees it: its filter bar (each field with
its label, the values asked for kept, the filter's ``is_active`` not offered) and the
districts and types it offers, read afresh when they change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from institutions.models import District, InstitutionType
from tests.factories import DepartmentUserFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def _form(html: str) -> str:
    return re.search(r'<form method="get" class="filters".*?</form>', html, re.S).group(0)


def _options(form: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_filter_bar_shows_each_field_with_its_label_and_keeps_the_values(
    client_for, department_user
):
    district = District.objects.order_by("code").last()
    kind = InstitutionType.objects.order_by("position").last()
    InstitutionFactory(district=district, type=kind)
    response = client_for(department_user).get(
        reverse("institutions:department_home"),
        {
            "district": district.code,
            "type": kind.code,
            "search": 'a<b"',
            "missing": "staff_trained",
            "sort": "type",
        },
    )
    form = _form(response.content.decode())
    labels = re.findall(r'<label for="id_(\w+)">([^<]*)</label>', form)
    assert [name for name, _label in labels] == ["district", "type", "search", "missing", "sort"]
    assert labels[0][1] == "Аудан немесе қала"  # Kazakh, the default language
    assert 'name="is_active"' not in form
    assert f'<option value="{district.code}" selected>{district}</option>' in form
    assert f'<option value="{kind.code}" selected>{kind}</option>' in form
    assert '<input type="text" name="search" value="a&lt;b&quot;" id="id_search">' in form
    assert '<option value="staff_trained" selected>' in form
    assert '<option value="type" selected>' in form
    # Each field in its own block, in the order of the forms.
    assert form.count('<div class="field">') == 5


def test_the_filter_offers_the_districts_of_the_users_region_only_and_every_type(client_for):
    district = District.objects.order_by("code").first()
    user = DepartmentUserFactory(region=district.region)
    form = _form(client_for(user).get(reverse("institutions:department_home")).content.decode())
    districts = _options(form, "district")
    assert districts[0] == ("", "Барлық аудандар")  # "All districts"
    assert [code for code, _name in districts[1:]] == list(
        District.objects.filter(region=district.region).values_list("code", flat=True)
    )
    types = _options(form, "type")
    assert [code for code, _name in types[1:]] == list(
        InstitutionType.objects.values_list("code", flat=True)
    )


def test_a_changed_district_or_type_shows_on_the_next_page(client_for):
    """Their SQL is compiled once per process; their rows are read on every request."""
    district = District.objects.order_by("code").first()
    client = client_for(DepartmentUserFactory(region=district.region))
    url = reverse("institutions:department_home")
    InstitutionFactory(name_kk="Мекеме", district=district)
    before = client.get(url).content.decode()
    assert (district.code, district.name_kk) in _options(_form(before), "district")
    district.name_kk = "Жаңа аудан"
    district.save()
    added = InstitutionType.objects.create(code="new-type", name_kk="Жаңа түр", position=999)
    after = client.get(url).content.decode()
    assert _options(_form(after), "district")[0] == ("", "Барлық аудандар")
    assert (district.code, "Жаңа аудан") in _options(_form(after), "district")
    assert _options(_form(after), "type")[-1] == ("new-type", "Жаңа түр")
    # The row shows the district's new name too.
    assert '<span class="cell-note">Жаңа аудан</span>' in after
    added.delete()
    assert "new-type" not in client.get(url).content.decode()


def test_board_reference_data_is_what_the_orm_reads(db):
    from institutions.selectors import board_reference_data

    region = District.objects.order_by("code").first().region
    for region_id in (region.pk, None):
        districts, types = board_reference_data(region_id)
        expected = District.objects.select_related("region")
        if region_id is not None:
            expected = expected.filter(region_id=region_id)
        assert [(d.pk, d.code, d.name_kk, d.region.code) for d in districts] == [
            (d.pk, d.code, d.name_kk, d.region.code) for d in expected
        ]
        assert [(t.pk, t.code, t.name_ru) for t in types] == [
            (t.pk, t.code, t.name_ru) for t in InstitutionType.objects.all()
        ]
    assert board_reference_data(-1)[0] == []  # a region of no districts
