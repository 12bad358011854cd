from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from respondents.choices import Citizenship, ResidenceStatus, Sex
from respondents.models import ImportJob, ImportMode, Respondent, RespondentList


class RespondentListSerializer(serializers.ModelSerializer):
    institution_bin = serializers.CharField(source="institution.bin", read_only=True)
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True)
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


class RespondentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Respondent
        fields = [
            "id",
            "surname",
            "given_name",
            "patronymic",
            "birth_date",
            "sex",
            "citizenship",
            "citizenship_country",
            "iin",
            "iin_absent_reason",
            "residence_status",
            "unit",
            "note",
            "arrived_on",
            "departed_on",
            "departure_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RespondentInputSerializer(serializers.Serializer):
    """One row as a client sends it; the row rules themselves are checked by the service."""

    surname = serializers.CharField(allow_blank=True, max_length=200)
    given_name = serializers.CharField(allow_blank=True, max_length=200)
    patronymic = serializers.CharField(allow_blank=True, required=False, max_length=200)
    birth_date = serializers.CharField(help_text="YYYY-MM-DD or DD.MM.YYYY", max_length=20)
    sex = serializers.ChoiceField(choices=Sex.choices)
    citizenship = serializers.ChoiceField(choices=Citizenship.choices)
    citizenship_country = serializers.CharField(allow_blank=True, required=False, max_length=200)
    iin = serializers.CharField(allow_blank=True, required=False, max_length=20)
    iin_absent_reason = serializers.CharField(allow_blank=True, required=False, max_length=255)
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices)
    unit = serializers.CharField(allow_blank=True, required=False, max_length=64)
    note = serializers.CharField(allow_blank=True, required=False, max_length=500)


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


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    errors = ImportErrorSerializer(source="errors_preview", many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "respondent_list",
            "state",
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
            "finished_at",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "self": {"type": "string"},
                "errors_json": {"type": "string"},
                "errors_xlsx": {"type": "string"},
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
