from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from respondents.models import ImportMode


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "XLSX, ODS or CSV (UTF-8, UTF-16 “Unicode Text” or Windows-1251, separated by "
            "commas, semicolons or tabs), with the column names of the template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm,.ods"}),
    )
    mode = forms.ChoiceField(
        label=_("What to do with the rows"),
        choices=ImportMode.choices,
        initial=ImportMode.APPEND,
        widget=forms.RadioSelect,
        help_text=_(
            "People already on the list are not added twice. Replacing removes every row "
            "of the list first."
        ),
    )
