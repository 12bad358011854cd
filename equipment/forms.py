"""Forms of the department's equipment pages; they validate input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from census_coord.uploads import CONTENT_TYPES
from equipment.choices import Condition, KitState, ReturnOutcome
from equipment.models import HandoverItem, TabletKit
from equipment.services import SCAN_KINDS, KitReturnLine
from institutions.models import ResponsibleStaff

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ResponsibleStaff) -> str:
        return f"{obj.full_name} — {obj.institution.name}"


class KitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TabletKit) -> str:
        label = f"{obj.inventory_number} · {obj.model} · {obj.serial}"
        defective = obj.defective_components()
        if obj.state != KitState.INCOMPLETE or not defective:
            return label
        # The warning sits next to the checkbox: nobody ticks an incomplete kit unawares.
        return _("%(kit)s — incomplete: %(components)s") % {
            "kit": label,
            "components": ", ".join(f"{name} ({condition})" for _c, name, condition in defective),
        }


class HandoverActForm(forms.Form):
    received_by = StaffChoiceField(
        label=_("Received by (responsible staff member)"), queryset=ResponsibleStaff.objects.none()
    )
    act_date = forms.DateField(label=_("Act date"), widget=DATE_WIDGET)
    kits = KitChoiceField(
        label=_("Tablet kits"),
        queryset=TabletKit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruction_booklets = forms.IntegerField(
        label=_("Instruction booklets"), min_value=0, max_value=10000, initial=0
    )
    certificate_blanks = forms.IntegerField(
        label=_("Participation certificate blanks"), min_value=0, max_value=100000, initial=0
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_incomplete = forms.BooleanField(
        label=_("I confirm: the incomplete kits chosen are handed over as they are"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        staff: QuerySet[ResponsibleStaff],
        kits: QuerySet[TabletKit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = staff  # type: ignore[attr-defined]  # fields[] is typed Field
        self.fields["kits"].queryset = kits  # type: ignore[attr-defined]  # fields[] is typed Field
        self.offers_incomplete = kits.filter(state=KitState.INCOMPLETE).exists()


class ComponentReplaceForm(forms.Form):
    """The Department replaced some of a kit's missing or damaged components."""

    components = forms.MultipleChoiceField(
        label=_("Components replaced"), widget=forms.CheckboxSelectMultiple
    )
    replaced_on = forms.DateField(label=_("Replaced on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, kit: TabletKit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defective = kit.defective_components()
        self.fields["components"].choices = [  # type: ignore[attr-defined]  # fields[] is typed Field
            (code, f"{label} ({condition})") for code, label, condition in defective
        ]


class HandoverSignForm(forms.Form):
    department_signed_on = forms.DateField(
        label=_("Signed by the Department on"), widget=DATE_WIDGET
    )
    recipient_signed_on = forms.DateField(label=_("Signed by the recipient on"), widget=DATE_WIDGET)
    signed_scan = forms.FileField(
        label=_("Signed scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(CONTENT_TYPES[kind] for kind in SCAN_KINDS)}
        ),
    )


COMPONENT_OUTCOME_CHOICES = ReturnOutcome.choices
TABLET_OUTCOME_CHOICES = [("", _("— not returned now —")), *ReturnOutcome.choices]


class KitReturnForm(forms.Form):
    """A return of some kits of an act: one row per kit still out, a select per component
    that was handed over (absent components are not asked about)."""

    returned_on = forms.DateField(label=_("Returned on"), widget=DATE_WIDGET)
    returned_by = StaffChoiceField(
        label=_("Returned by (responsible staff member)"), queryset=ResponsibleStaff.objects.none()
    )
    instruction_booklets = forms.IntegerField(
        label=_("Instruction booklets returned"), min_value=0, max_value=10000, initial=0
    )
    certificate_blanks = forms.IntegerField(
        label=_("Unused certificate blanks returned"), min_value=0, max_value=100000, initial=0
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Reason for returning despite undelivered data"),
        help_text=_(
            "Only if a tablet's data is not yet delivered and the kit must come back anyway "
            "(for example, the tablet is broken). Stored on the return and audited."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        items: list[HandoverItem],
        staff: QuerySet[ResponsibleStaff],
        may_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_reason"]
        self.items = items
        self.fields["returned_by"].queryset = staff  # type: ignore[attr-defined]  # fields[] is typed Field
        self.rows: list[dict[str, Any]] = []
        for item in items:
            prefix = f"kit{item.pk}"
            self.fields[f"{prefix}_tablet"] = forms.ChoiceField(
                label=_("Tablet %(kit)s") % {"kit": item.kit.inventory_number},
                choices=TABLET_OUTCOME_CHOICES,
                required=False,
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note on kit %(kit)s") % {"kit": item.kit.inventory_number},
                required=False,
                max_length=500,
            )
            components = []
            for row in item.component_rows():
                if row["handed_over"] == Condition.ABSENT:
                    continue
                name = f"{prefix}_{row['code']}"
                self.fields[name] = forms.ChoiceField(
                    label=row["label"],
                    choices=COMPONENT_OUTCOME_CHOICES,
                    initial=ReturnOutcome.RETURNED,
                )
                self.fields[f"{name}_note"] = forms.CharField(
                    label=_("Note"), required=False, max_length=300
                )
                components.append({"row": row, "field": self[name], "note": self[f"{name}_note"]})
            self.rows.append(
                {
                    "item": item,
                    "tablet": self[f"{prefix}_tablet"],
                    "note": self[f"{prefix}_note"],
                    "components": components,
                }
            )

    def lines(self) -> list[KitReturnLine]:
        """The kits marked as coming back now, as the service takes them."""
        lines = []
        for item in self.items:
            prefix = f"kit{item.pk}"
            tablet = self.cleaned_data.get(f"{prefix}_tablet")
            if not tablet:
                continue
            codes = [
                code
                for code, condition in item.components_at_handover.items()
                if condition != Condition.ABSENT
            ]
            lines.append(
                KitReturnLine(
                    item_id=item.pk,
                    tablet_outcome=tablet,
                    components={c: self.cleaned_data.get(f"{prefix}_{c}", "") for c in codes},
                    component_notes={
                        c: self.cleaned_data.get(f"{prefix}_{c}_note", "") for c in codes
                    },
                    note=self.cleaned_data.get(f"{prefix}_note", ""),
                )
            )
        return lines
