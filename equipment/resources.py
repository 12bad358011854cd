"""Import/export of the kit inventory, matched on serial number and IMEI (never database ids).

The state and holder are exported for reading only: they change through acts, never by file.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from audit.resources import AuditedResourceMixin
from equipment.choices import Component, Condition
from equipment.models import TabletKit, all_components_good


class TabletKitResource(AuditedResourceMixin, resources.ModelResource):
    state = fields.Field(attribute="state", column_name="state", readonly=True)
    holder_bin = fields.Field(
        attribute="holder_institution__bin", column_name="holder_bin", readonly=True
    )

    class Meta:
        model = TabletKit
        import_id_fields = ("serial", "imei")
        fields = ("inventory_number", "serial", "imei", "model", "note", "state", "holder_bin")
        export_order = ("inventory_number", "serial", "imei", "model")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # One column per component, named by its code, holding the condition code.
        for code in Component.values:
            field = fields.Field(column_name=code, readonly=True)
            self.fields[code] = field

    def export_field(self, field: fields.Field, instance: TabletKit, **kwargs: Any) -> Any:
        if field.column_name in Component.values:
            return instance.components.get(field.column_name, "")
        return super().export_field(field, instance, **kwargs)

    def import_instance(self, instance: TabletKit, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        components = dict(instance.components or all_components_good())
        for code in Component.values:
            value = (row.get(code) or "").strip().lower()
            if not value:
                continue
            if value not in Condition.values:
                raise ValidationError(
                    {
                        "components": _("%(component)s: unknown condition “%(value)s”.")
                        % {"component": code, "value": value}
                    }
                )
            components[code] = value
        instance.components = components
