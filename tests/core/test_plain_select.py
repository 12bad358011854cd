"""``PlainSelect`` renders exactly what Django's ``Select`` renders, and the readiness
board's filter bar keeps what was chosen."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from census_coord.widgets import PlainSelect
from tests.factories import InstitutionFactory

CHOICES = [
    ("", "Any <all>"),
    ("a", "Ала & «б»"),
    ("b", mark_safe("<b>bold</b>")),  # a safe label stays as it is
    ("group", [("g1", "G1"), ("g2", 'G "2"')]),
]


@pytest.mark.parametrize("value", ["", "a", "g2", None, ["a", "g1"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "class": "c d", "disabled": True, "hidden": False}]
)
def test_same_markup_as_djangos_select(value, attrs):
    django_html = forms.Select(choices=CHOICES, attrs=attrs).render("x", value)
    plain_html = PlainSelect(choices=CHOICES, attrs=attrs).render("x", value)
    assert plain_html == django_html


def test_same_markup_in_a_bound_form():
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=CHOICES, widget=PlainSelect, required=False)
        django = forms.ChoiceField(choices=CHOICES, required=False)

    form = Form({"plain": "g1", "django": "g1"})
    plain, django = str(form["plain"]), str(form["django"])
    assert plain == django.replace("django", "plain")
    assert '<option value="g1" selected>G1</option>' in plain


@pytest.mark.django_db
def test_board_filter_bar_shows_the_choice_made(client_for, department_user):
    from institutions.models import District

    district = District.objects.order_by("code").last()
    InstitutionFactory(name_kk="Соңғы аудандағы", district=district)
    page = client_for(department_user).get(
        reverse("institutions:department_home"), {"district": district.code, "sort": "district"}
    )
    html = page.content.decode()
    assert f'<option value="{district.code}" selected>' in html
    assert '<option value="district" selected>' in html
    assert '<select name="missing" id="id_missing">' in html


@pytest.mark.django_db
def test_reference_choices_are_read_in_one_plain_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from institutions.filters import InstitutionFilterSet
    from institutions.models import District, Institution

    form = InstitutionFilterSet({}, queryset=Institution.objects.all()).form
    with CaptureQueriesContext(connection) as queries:
        html = str(form["district"])
    assert len(queries) == 1
    assert "DECLARE" not in queries[0]["sql"]  # no server-side cursor for a short list
    for district in District.objects.all():
        assert f'<option value="{district.code}">' in html
