from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from census_coord.api import ReadOnlyModelSerializer
from respondents.choices import DepartureReason
from respondents.models import ImportJob, ImportMode, RespondentList
from respondents.row_schema import ROW_FIELDS, Kind, RowField

if TYPE_CHECKING:
    from institutions.models import Campaign


class RespondentListSerializer(ReadOnlyModelSerializer):
    institution_bin = serializers.CharField(source="institution.bin", read_only=True)
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    row_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RespondentList
        fields = [
            "id",
            "institution",
            "institution_bin",
            "campaign",
            "status",
            "review_comment",
            "submitted_at",
            "accepted_at",
            "row_count",
            "updated_at",
        ]
        read_only_fields = fields


def _output_field(field: RowField) -> serializers.Field:
    if field.choices is not None:
        return serializers.ChoiceField(choices=field.choices.choices, read_only=True)
    if field.kind is Kind.DATE:
        return serializers.DateField(read_only=True)
    return serializers.CharField(read_only=True)


def _input_field(field: RowField) -> serializers.Field:
    """What a client may send for a row field; the row rules decide the rest (a blank
    name, a long one, a bad IIN each get the rule's own code)."""
    if field.choices is not None:
        return serializers.ChoiceField(choices=field.choices.choices, required=field.required)
    if field.kind is Kind.DATE:
        return serializers.CharField(
            help_text="YYYY-MM-DD or DD.MM.YYYY",
            max_length=field.accepted_length,
            required=field.required,
        )
    return serializers.CharField(
        allow_blank=True,
        required=field.required,
        max_length=field.accepted_length,
    )


class RespondentSerializer(serializers.Serializer):
    """One row as stored. Read-only; writes go through ``RespondentInputSerializer``.

    The fields are declared rather than derived from the model (``ModelSerializer``), which
    would introspect the model again on every request: the row's from
    ``respondents.row_schema``, then those of the amendments and the record.
    """


# Set after the class is made (DRF's metaclass would replace them), as if declared in its
# body: the id, the schema's fields in order, then the amendment's and the record's.
RespondentSerializer._declared_fields = {
    "id": serializers.IntegerField(read_only=True),
    **{field.name: _output_field(field) for field in ROW_FIELDS},
    "arrived_on": serializers.DateField(read_only=True, allow_null=True),
    "departed_on": serializers.DateField(read_only=True, allow_null=True),
    # Blank until a departure is recorded: the schema says so (see ReadOnlyModelSerializer).
    "departure_reason": serializers.ChoiceField(
        choices=DepartureReason.choices, read_only=True, allow_blank=True
    ),
    "created_at": serializers.DateTimeField(read_only=True),
    "updated_at": serializers.DateTimeField(read_only=True),
}


class RespondentInputSerializer(serializers.Serializer):
    """One row as a client sends it (the fields of ``respondents.row_schema``); the row
    rules themselves are checked by the service."""


RespondentInputSerializer._declared_fields = {
    field.name: _input_field(field) for field in ROW_FIELDS
}


class RespondentBatchSerializer(serializers.Serializer):
    """Rows are checked together by the row rules; any bad row refuses the whole batch."""

    rows = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=10_000
    )


class BatchResultSerializer(serializers.Serializer):
    rows_total = serializers.IntegerField()
    rows_added = serializers.IntegerField()
    rows_skipped = serializers.IntegerField(help_text="Rows already on the list, left as they are.")


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8 or Windows-1251, `,` or `;`) or XLSX.")
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.APPEND)


class ImportErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    # The column as the uploaded file names it, and its Excel letter ("" for the file).
    column = serializers.CharField(default="")
    letter = serializers.CharField(default="")
    code = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(ReadOnlyModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    percent = serializers.IntegerField(
        read_only=True, help_text="Rows checked, in per cent; 100 only once the job succeeded."
    )
    stalled = serializers.BooleanField(
        source="is_stalled",
        read_only=True,
        help_text="No worker took the job, or its run gave no sign of progress, for longer "
        "than IMPORT_STALL_SECONDS; the sweeper will hand it to a worker again.",
    )
    status_label = serializers.CharField(
        read_only=True,
        help_text="The state in words, e.g. 'Waiting for a worker' or 'Retrying (attempt 2)'.",
    )
    errors = ImportErrorSerializer(source="errors_preview", many=True, read_only=True)  # type: ignore[assignment]  # a field, not Serializer.errors
    links = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "respondent_list",
            "state",
            "status_label",
            "stalled",
            "attempts",
            "mode",
            "source",
            "file_name",
            "file_size",
            "rows_total",
            "rows_processed",
            "percent",
            "rows_added",
            "rows_skipped",
            "rows_removed",
            "error_count",
            "errors",
            "message",
            "created_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "file_deleted_at",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "self": {"type": "string"},
                # None when the job has no errors to download.
                "errors_json": {"type": "string", "nullable": True},
                "errors_xlsx": {"type": "string", "nullable": True},
            },
        }
    )
    def get_links(self, job: ImportJob) -> dict[str, str | None]:
        has_errors = job.error_count > 0
        return {
            "self": reverse("import-job-detail", args=[job.pk]),
            "errors_json": reverse("import-job-errors", args=[job.pk]) if has_errors else None,
            "errors_xlsx": reverse("import-job-errors-xlsx", args=[job.pk]) if has_errors else None,
        }
