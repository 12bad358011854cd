"""Forms of the respondent pages; they collect input, the services validate and write."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from census_coord.typing import StrOrPromise
from respondents.choices import (
    Citizenship,
    ConflictDecision,
    DepartureReason,
    ResidenceStatus,
    Sex,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _blank(choices: Sequence[tuple[str, StrOrPromise]]) -> list[tuple[str, StrOrPromise]]:
    return [("", "—"), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RespondentForm(forms.Form):
    """One row; the rules themselves live in ``respondents.validation``."""

    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    citizenship = forms.ChoiceField(
        label=_("Citizenship"), choices=_blank(Citizenship.choices), required=False
    )
    citizenship_country = forms.CharField(
        label=_("Country of citizenship"),
        max_length=100,
        required=False,
        help_text=_("For foreign citizens."),
    )
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    iin_absent_reason = forms.CharField(
        label=_("Reason the IIN is missing"),
        max_length=255,
        required=False,
        help_text=_("Required for a citizen of Kazakhstan without an IIN."),
    )
    residence_status = forms.ChoiceField(
        label=_("Residence status"), choices=_blank(ResidenceStatus.choices), required=False
    )
    unit = forms.CharField(label=_("Unit or room"), max_length=64, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


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
    view = forms.ChoiceField(
        label=_("List"),
        choices=[
            ("reference", _("As of the reference date")),
            ("current", _("Current")),
        ],
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])


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
