"""``PlainTextInput`` and ``PlainDateInput`` render exactly what Django's templates render,
alone and in a bound form (the worklist's outcome form)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils.safestring import mark_safe

from census_coord.widgets import PlainTextInput
from enumeration.forms import BulkEnumerationForm
from respondents.forms import DateInput, PlainDateInput

ATTRS = [
    None,
    {"id": "id_x", "maxlength": 5, "required": True, "disabled": False, "aria-describedby": "a b"},
    {"class": 'a "b" <c>', "autocomplete": "off"},
]


@pytest.mark.parametrize("value", [None, "", "a<b>&\"'", mark_safe("<b>"), 5, "x y"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_text_input_same_markup_as_djangos(value, attrs):
    django_html = forms.TextInput(attrs=attrs).render("name<", value, attrs=attrs)
    assert PlainTextInput(attrs=attrs).render("name<", value, attrs=attrs) == django_html


@pytest.mark.parametrize("value", [None, "", dt.date(2021, 9, 1), "2021-13-01", "<x>"])
def test_date_input_same_markup_as_djangos(value):
    attrs = {"id": "id_day", "required": True}
    assert PlainDateInput().render("day", value, attrs=attrs) == DateInput().render(
        "day", value, attrs=attrs
    )


@pytest.mark.django_db
def test_the_outcome_form_renders_as_with_djangos_widgets(institution_a):
    data = {"status": "enumerated", "enumerated_on": "2021-09-20", "reason_detail": '<"x">'}
    for bound in (None, data):
        form = BulkEnumerationForm(bound, institution_id=institution_a.pk, can_override=True)
        if bound:
            form.is_valid()
        plain = {name: str(form[name]) for name in form.fields}
        for field in form.fields.values():
            if isinstance(field.widget, PlainTextInput):
                field.widget = forms.TextInput(attrs=field.widget.attrs)
            elif isinstance(field.widget, PlainDateInput):
                field.widget = DateInput()
        assert {name: str(form[name]) for name in form.fields} == plain
