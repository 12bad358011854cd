"""Forms of the institutions pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.choices import EnumerationMethod
from institutions.models import Institution
from institutions.readiness import readiness_items
from institutions.selectors import ReadinessSort


class ReadinessBoardForm(forms.Form):
    """The board's own options; district, type and search come from InstitutionFilterSet."""

    missing = forms.ChoiceField(label=_("Missing item"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=ReadinessSort.choices, required=False, initial="name"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The registry grows as other apps add items, so the choices are read per request.
        self.fields["missing"].choices = [
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
