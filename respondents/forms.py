"""Forms of the respondent pages; they collect input, the services validate and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from census_coord.typing import StrOrPromise
from census_coord.widgets import PlainInputMixin, PlainSelect
from respondents.choices import ConflictDecision, DepartureReason
from respondents.row_schema import ROW_FIELDS, Kind, RowField

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _blank(choices: Sequence[tuple[str, StrOrPromise]]) -> list[tuple[str, StrOrPromise]]:
    return [("", "—"), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PlainDateInput(PlainInputMixin, DateInput):
    """``DateInput`` rendered in Python, for a form shown under every page of a list."""


def _form_field(field: RowField) -> forms.Field:
    """The form field of a row field: every one optional here, so that the row rules
    (``respondents.validation``) word what is missing or wrong."""
    common: dict[str, Any] = {"label": field.label, "required": False, "help_text": field.help}
    if field.kind is Kind.DATE:
        return forms.DateField(input_formats=DATE_INPUT_FORMATS, widget=DateInput(), **common)
    if field.choices is not None:
        return forms.ChoiceField(choices=_blank(field.choices.choices), **common)
    widget: forms.Widget | None = None
    if field.kind is Kind.IIN:
        widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    elif field.lines > 1:
        widget = forms.Textarea(attrs={"rows": field.lines})
    return forms.CharField(max_length=field.max_length, widget=widget, **common)


class RespondentForm(forms.Form):
    """One row, its fields from ``respondents.row_schema``; the rules themselves live in
    ``respondents.validation``."""


# The schema's fields, in its order, declared as if written in the class body (a subclass
# such as ``ArrivalForm`` collects them from ``declared_fields`` and adds its own).
RespondentForm.declared_fields = RespondentForm.base_fields = {
    field.name: _form_field(field) for field in ROW_FIELDS
}


class ArrivalForm(RespondentForm):
    arrived_on = forms.DateField(
        label=_("Arrived on"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DepartureForm(forms.Form):
    departed_on = forms.DateField(
        label=_("Departed on"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DepartureReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the institution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the list."),
    )


class ConflictResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ConflictDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ExportForm(forms.Form):
    # Under every page of the list: selects formatted in Python (``PlainSelect``).
    view = forms.ChoiceField(
        label=_("List"),
        choices=[
            ("reference", _("As of the reference date")),
            ("current", _("Current")),
        ],
        widget=PlainSelect,
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], widget=PlainSelect
    )


class BulkReviewForm(forms.Form):
    """One decision for the lists selected on the board (their ids come as ``selected``)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the selected")), ("return", _("Return the selected"))],
    )
    comment = forms.CharField(
        label=_("Comment for the institutions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning; every selected institution receives it."),
    )
