"""Import/export of institutions and responsible staff, matched on natural keys.

Rows refer to institutions by BIN and to reference data by code, never by database id, so
a file exported from one installation imports into another. A file with any bad row is
rejected whole: nothing is written and every row's errors are reported.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from audit.resources import AuditedResourceMixin
from institutions.models import District, Institution, InstitutionType, ResponsibleStaff


class _WholeFileResource(AuditedResourceMixin, resources.ModelResource):
    """A resource whose import is all-or-nothing, including row validation errors, and audited
    with it."""

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)


class CodeWidget(widgets.ForeignKeyWidget):
    """A reference by natural key; an unknown value is a row error, not a crash."""

    def __init__(self, model: Any, field: str, message: Any) -> None:
        super().__init__(model, field=field)
        self.message = message

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        value = "" if value is None else str(value).strip()
        if not value:
            raise ValueError(self.message % {"value": value})
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(self.message % {"value": value}) from exc


class MethodsWidget(widgets.Widget):
    """Stage-2 methods as comma-separated codes in one cell."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        if value in (None, ""):
            return []
        return [part.strip() for part in str(value).split(",") if part.strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return ",".join(value or [])


class InstitutionResource(_WholeFileResource):
    bin = fields.Field(attribute="bin", column_name="bin", widget=widgets.CharWidget())
    type = fields.Field(
        attribute="type",
        column_name="type_code",
        widget=CodeWidget(InstitutionType, "code", _("Unknown institution type code “%(value)s”.")),
    )
    district = fields.Field(
        attribute="district",
        column_name="district_code",
        widget=CodeWidget(District, "code", _("Unknown district code “%(value)s”.")),
    )
    preferred_methods = fields.Field(
        attribute="preferred_methods", column_name="preferred_methods", widget=MethodsWidget()
    )

    class Meta:
        model = Institution
        import_id_fields = ("bin",)
        fields = (
            "bin",
            "name_kk",
            "name_ru",
            "type",
            "district",
            "address",
            "head_name",
            "head_position",
            "phone",
            "email",
            "expected_residents",
            "preferred_methods",
            "is_active",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class ResponsibleStaffResource(_WholeFileResource):
    """Staff are matched on (institution BIN, full name, order number)."""

    institution = fields.Field(
        attribute="institution",
        column_name="institution_bin",
        widget=CodeWidget(Institution, "bin", _("No institution has the BIN “%(value)s”.")),
    )

    class Meta:
        model = ResponsibleStaff
        import_id_fields = ("institution", "full_name", "order_number")
        fields = (
            "institution",
            "full_name",
            "position",
            "phone",
            "email",
            "order_number",
            "order_date",
            "appointed_by",
            "active_from",
            "active_to",
            "is_active",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
