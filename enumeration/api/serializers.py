"""Serializers of the stage-2 REST batch (``enumeration.api.views``)."""

from __future__ import annotations

from rest_framework import serializers

from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason

MAX_BATCH = 1000


class EnumerationUpdateSerializer(serializers.Serializer):
    respondent_id = serializers.IntegerField(min_value=1)
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
