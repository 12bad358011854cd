"""Serializers of the census-database import's REST API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from censusdb.models import CensusExport, CensusMethod
from censusdb.services import MAX_API_ROWS


class CensusRowSerializer(serializers.Serializer):
    """One completed form, with the columns of docs/CENSUS_DB.md."""

    form_number = serializers.RegexField(
        r"^[A-Za-z0-9-]{1,32}$", help_text=_("The census form or registration number.")
    )
    iin = serializers.RegexField(r"^[0-9]{12}$", required=False, allow_blank=True)
    surname = serializers.CharField(max_length=100)
    given_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.CharField(max_length=16, required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=CensusMethod.choices)
    completed_at = serializers.DateTimeField()
    tablet = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=_("The tablet's inventory number or device id, where known."),
    )
    bin = serializers.RegexField(r"^[0-9]{12}$", required=False, allow_blank=True)


class CensusRowsSerializer(serializers.Serializer):
    rows = CensusRowSerializer(many=True, allow_empty=False, max_length=MAX_API_ROWS)  # type: ignore[call-arg]  # ListSerializer takes it


class CensusExportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV, XLSX or ODS with the export's columns."))


class CensusExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = CensusExport
        fields = (
            "id",
            "source",
            "file_name",
            "state",
            "rows_processed",
            "rows_new",
            "rows_updated",
            "rows_unchanged",
            "rows_invalid",
            "applied",
            "confirmed",
            "queued",
            "not_listed",
            "errors_preview",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields
