from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CensusExportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export of the census database"),
        help_text=_(
            "XLSX, ODS or CSV with the columns of docs/CENSUS_DB.md; the same limits as "
            "list imports."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm,.ods"}),
    )


class CensusReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    respondent = forms.TypedChoiceField(
        label=_("Person on the list"), coerce=int, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: object, candidates: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own arguments
        self.fields["respondent"].choices = candidates  # type: ignore[attr-defined]  # a ChoiceField
