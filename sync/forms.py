"""Forms of the sync pages."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from equipment.models import TabletKit


class UsbOffloadForm(forms.Form):
    """A Department employee records data offloaded from a tablet onto their media."""

    kit = forms.ModelChoiceField(label=_("Tablet kit"), queryset=TabletKit.objects.none())
    media_id = forms.CharField(label=_("Media identifier"), max_length=64)
    sent_at = forms.DateTimeField(
        label=_("Tablet's sync mark"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The date and time the tablet gives for the offloaded data."),
    )
    form_count = forms.IntegerField(label=_("Census forms"), min_value=0, max_value=1_000_000)
    payload_checksum = forms.RegexField(
        label=_("Payload checksum"),
        regex=r"^[A-Za-z0-9:+/=_-]{8,128}$",
        error_messages={"invalid": _("Give the payload checksum (8 to 128 characters).")},
    )
    # Generated when the form is shown, so that submitting it twice records one offload.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128)

    def __init__(self, *args: object, kits: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kit"].queryset = kits  # type: ignore[attr-defined]  # fields[] is typed Field
        self.fields["kit"].label_from_instance = lambda kit: (  # type: ignore[attr-defined]  # fields[] is typed Field
            f"{kit.inventory_number} — {kit.holder_institution.name}"
        )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
