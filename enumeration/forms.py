"""Forms of stage 2; they collect input, ``enumeration.services`` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from census_coord.filtering import ListedModelChoiceField
from census_coord.widgets import PlainSelect, PlainTextInput
from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from institutions.models import ResponsibleStaff
from respondents.forms import DATE_INPUT_FORMATS, DateInput, PlainDateInput, _blank


class _OutcomeFields(forms.Form):
    # The worklist renders this form under every page of fifty people: its widgets are
    # formatted in Python (``PlainSelect``, ``PlainTextInput``, ``PlainDateInput``: Django's
    # markup), the staff read in one query.
    status = forms.ChoiceField(
        label=_("Status"), choices=EnumerationStatus.choices, widget=PlainSelect
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=_blank(EnumerationMethod.choices),
        required=False,
        widget=PlainSelect,
    )
    enumerated_on = forms.DateField(
        label=_("Date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=PlainDateInput()
    )
    reason = forms.ChoiceField(
        label=_("Reason not enumerated"),
        choices=_blank(NonEnumerationReason.choices),
        required=False,
        widget=PlainSelect,
    )
    reason_detail = forms.CharField(
        label=_("Reason details"),
        max_length=500,
        required=False,
        widget=PlainTextInput,
        help_text=_(
            "For administration records: why the person could not be interviewed. "
            "For “other reason”: what it is."
        ),
    )
    staff = ListedModelChoiceField(
        label=_("Responsible staff member"),
        queryset=ResponsibleStaff.objects.none(),
        required=False,
        help_text=_("Required when staff helped online or took administration records."),
    )
    tablet_kit_ref = forms.CharField(
        label=_("Tablet kit"),
        max_length=64,
        required=False,
        widget=PlainTextInput,
        help_text=_("Inventory number of the tablet used for the interview."),
    )
    window_override_reason = forms.CharField(
        label=_("Reason to accept a date outside the window"),
        max_length=500,
        required=False,
        widget=PlainTextInput,
        help_text=_("Department only; recorded with your name."),
    )

    def __init__(self, *args: Any, institution_id: int, can_override: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The select shows the name (``str``) and the form gives the services the id alone
        # (``update_values``): the staff's other columns are not read.
        self.fields["staff"].queryset = (  # type: ignore[attr-defined]  # fields[] is typed Field
            ResponsibleStaff.objects.filter(institution_id=institution_id, is_active=True)
            .order_by("full_name")
            .only("full_name")
        )
        if not can_override:
            del self.fields["window_override_reason"]

    def update_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        staff = data.pop("staff", None)
        data["staff_id"] = staff.pk if staff else None
        return data


class EnumerationForm(_OutcomeFields):
    """One person's outcome (the quick update)."""

    registration_number = forms.CharField(
        label=_("Census registration number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class BulkEnumerationForm(_OutcomeFields):
    """The same outcome for every selected person (the people come as ``selected`` ids)."""


class PersonSearchForm(forms.Form):
    """The Department's person search: an IIN, or a surname with the birth date. Posted,
    never put in a URL (``enumeration.department_views.person_search``)."""

    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    surname = forms.CharField(
        label=_("Surname"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        required=False,
        help_text=_("Optional; its first letters are enough."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )

    def clean_iin(self) -> str:
        iin = "".join(self.cleaned_data["iin"].split())
        if iin and (len(iin) != 12 or not iin.isdigit()):
            raise forms.ValidationError(_("An IIN is 12 digits."), code="iin_format")
        return iin

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("iin") and not (data.get("surname", "").strip() and data.get("birth_date")):
            raise forms.ValidationError(
                _("Enter an IIN, or a surname with the birth date."), code="criteria_missing"
            )
        return data
