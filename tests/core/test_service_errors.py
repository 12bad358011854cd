"""One reading of a service's ValidationError: the form shows what the API body lists."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from census_coord.api import service_validation_error, validation_error_items
from census_coord.errors import ErrorItem, service_error_items
from census_coord.forms import form_add_service_errors


class _StaffForm(forms.Form):
    staff = forms.IntegerField(required=False)
    note = forms.CharField(required=False)


def _batch_error() -> ValidationError:
    return ValidationError(
        [
            ValidationError(
                "Not on staff.", code="staff_unknown", params={"row": 1, "field": "staff_id"}
            ),
            ValidationError(
                "Not on staff.", code="staff_unknown", params={"row": 2, "field": "staff_id"}
            ),
            ValidationError("Too late.", code="late", params={"row": 2, "field": "enumerated_on"}),
        ]
    )


def test_batch_items_keep_row_field_and_code():
    assert service_error_items(_batch_error()) == [
        ErrorItem(field="staff_id", row=1, code="staff_unknown", message="Not on staff."),
        ErrorItem(field="staff_id", row=2, code="staff_unknown", message="Not on staff."),
        ErrorItem(field="enumerated_on", row=2, code="late", message="Too late."),
    ]
    assert validation_error_items(_batch_error())[0] == {
        "field": "staff_id",
        "row": 1,
        "code": "staff_unknown",
        "message": "Not on staff.",
    }


def test_field_errors_format_their_params():
    error = ValidationError(
        {"note": [ValidationError("At most %(limit)d.", code="long", params={"limit": 5})]}
    )
    assert service_error_items(error) == [
        ErrorItem(field="note", row=None, code="long", message="At most 5.")
    ]


def test_form_shows_each_batch_message_once_next_to_its_field():
    form = _StaffForm({})
    form.is_valid()
    form_add_service_errors(form, _batch_error(), fields={"staff_id": "staff"})
    assert form.errors == {"staff": ["Not on staff."], "__all__": ["Too late."]}
    assert form.has_error("staff", code="staff_unknown")


def test_form_puts_unknown_fields_above_the_form():
    form = _StaffForm({})
    form.is_valid()
    form_add_service_errors(form, ValidationError({"institution": ["Closed."], "note": ["Long."]}))
    assert form.errors == {"__all__": ["Closed."], "note": ["Long."]}


def test_api_error_keeps_fields_and_codes():
    detail = service_validation_error(
        ValidationError({"name": ValidationError("Bad.", code="bad")})
    ).detail
    assert detail == {"name": ["Bad."]}
    assert detail["name"][0].code == "bad"
    plain = service_validation_error(ValidationError("Closed.", code="closed")).detail
    assert plain == ["Closed."]
    assert plain[0].code == "closed"
