"""Serializers of the stage-2 REST batch (``enumeration.api.views``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason

MAX_BATCH = 1000


class PersonKeySerializer(serializers.Serializer):
    """Exactly one of ``respondent_id``, ``iin``, ``external_ref`` names the person (the
    batch API and the tablet sync share it)."""

    respondent_id = serializers.IntegerField(
        min_value=1, required=False, help_text=_("This app's id of the person.")
    )
    iin = serializers.RegexField(
        r"^[0-9]{12}$",
        required=False,
        help_text=_("The person's IIN (12 digits), instead of respondent_id."),
    )
    external_ref = serializers.CharField(
        max_length=64,
        required=False,
        help_text=_(
            "The institution's own reference of the row (external_ref), instead of respondent_id."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("respondent_id", "iin", "external_ref") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Name the person by one key: respondent_id, iin or external_ref."),
                code="one_key_required",
            )
        return attrs


class EnumerationUpdateSerializer(PersonKeySerializer):
    status = serializers.ChoiceField(choices=EnumerationStatus.choices)
    method = serializers.ChoiceField(
        choices=EnumerationMethod.choices, required=False, allow_blank=True
    )
    reason = serializers.ChoiceField(
        choices=NonEnumerationReason.choices, required=False, allow_blank=True
    )
    reason_detail = serializers.CharField(max_length=500, required=False, allow_blank=True)
    enumerated_on = serializers.DateField(required=False, allow_null=True)
    staff_id = serializers.IntegerField(required=False, allow_null=True)
    tablet_kit_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    registration_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    window_override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EnumerationBatchSerializer(serializers.Serializer):
    updates = EnumerationUpdateSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)  # type: ignore[call-arg]  # ListSerializer takes it


class EnumerationResultSerializer(serializers.Serializer):
    respondent_id = serializers.IntegerField()
    status = serializers.CharField()
    method = serializers.CharField()
    reason = serializers.CharField()
    enumerated_on = serializers.DateField(allow_null=True)
    registration_number = serializers.CharField()


class EnumerationBatchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = EnumerationResultSerializer(many=True)
