"""Forms of the institutions pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from census_coord.uploads import CONTENT_TYPES
from census_coord.widgets import PlainSelect
from institutions.choices import EnumerationMethod
from institutions.models import AppointmentOrder, Institution, ResponsibleStaff
from institutions.readiness import readiness_items
from institutions.selectors import ReadinessSort
from institutions.services import ORDER_SCAN_KINDS


class ReadinessBoardForm(forms.Form):
    """The board's own options; district, type and search come from InstitutionFilterSet."""

    missing = forms.ChoiceField(label=_("Missing item"), required=False, widget=PlainSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=ReadinessSort.choices,
        required=False,
        initial="name",
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The registry grows as other apps add items, so the choices are read per request.
        self.fields["missing"].choices = [  # type: ignore[attr-defined]  # fields[] is typed Field
            ("", _("Any")),
            *[(item.code, item.label) for item in readiness_items()],
        ]


class InstitutionAdminForm(forms.ModelForm):
    """The admin's institution form: preferred methods as labelled checkboxes, not the JSON
    list of method codes the field stores."""

    preferred_methods = forms.MultipleChoiceField(
        label=_("preferred stage-2 methods"),
        choices=EnumerationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Institution
        fields = ("preferred_methods",)  # the admin adds the others


# --- What the institution reports about its staff (¶5–7) --------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppointmentOrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=64)
    date = forms.DateField(label=_("Order date"), widget=DATE_WIDGET)
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=255, help_text=_("The head who signed the order.")
    )
    scan = forms.FileField(
        label=_("Signed scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(CONTENT_TYPES[kind] for kind in ORDER_SCAN_KINDS)}
        ),
    )

    def __init__(self, *args: Any, has_scan: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_scan:
            # Correcting a reported order: the scan already stored stays unless replaced.
            self.fields["scan"].required = False
            self.fields["scan"].help_text = _("Leave empty to keep the scan already attached.")


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AppointmentOrder) -> str:
        return str(obj)


class StaffReportForm(forms.Form):
    order = OrderChoiceField(label=_("Appointment order"), queryset=AppointmentOrder.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    census_role = forms.CharField(
        label=_("Role in the census"),
        max_length=255,
        required=False,
        help_text=_("What the order charges this person with, e.g. the list of respondents."),
    )

    def __init__(self, *args: Any, orders: QuerySet[AppointmentOrder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders  # type: ignore[attr-defined]  # fields[] is typed Field


class ProvisioningReportForm(forms.Form):
    premises_provided = forms.BooleanField(label=_("Premises provided"), required=False)
    premises_date = forms.DateField(
        label=_("Premises provided on"), required=False, widget=DATE_WIDGET
    )
    premises_note = forms.CharField(label=_("Premises note"), max_length=500, required=False)
    computer_provided = forms.BooleanField(
        label=_("Computer with internet access provided"), required=False
    )
    computer_date = forms.DateField(
        label=_("Computer provided on"), required=False, widget=DATE_WIDGET
    )
    computer_note = forms.CharField(label=_("Computer note"), max_length=500, required=False)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ResponsibleStaff) -> str:
        return obj.full_name


class SeminarSignUpForm(forms.Form):
    staff = StaffChoiceField(
        label=_("Responsible staff member"), queryset=ResponsibleStaff.objects.none()
    )

    def __init__(self, *args: Any, staff: QuerySet[ResponsibleStaff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]  # fields[] is typed Field


class ReportReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
