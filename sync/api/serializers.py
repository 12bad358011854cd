"""Serializers of the sync endpoint: what a tablet or the census system posts, and the record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enumeration.api.serializers import PersonKeySerializer
from sync.models import SyncChannel, SyncRecord
from sync.services import MAX_ENUMERATIONS


class SyncedEnumerationSerializer(PersonKeySerializer):
    """A respondent the tablet interviewed (method tablet, by the kit's holder), named by
    ``respondent_id``, ``iin`` or ``external_ref``."""

    enumerated_on = serializers.DateField()
    registration_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SyncRecordCreateSerializer(serializers.Serializer):
    kit = serializers.CharField(
        max_length=64,
        required=False,
        help_text=_("The kit's inventory number; a tablet posting with its device key omits it."),
    )
    channel = serializers.ChoiceField(choices=SyncChannel.choices, default=SyncChannel.VPN)
    sent_at = serializers.DateTimeField(help_text=_("The tablet's own mark of the sync."))
    form_count = serializers.IntegerField(min_value=0, max_value=1_000_000)
    payload_checksum = serializers.RegexField(
        r"^[A-Za-z0-9:+/=_-]{8,128}$",
        error_messages={"invalid": _("Give the payload checksum (8 to 128 characters).")},
    )
    media_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    enumerations = SyncedEnumerationSerializer(  # type: ignore[call-arg]  # ListSerializer takes max_length
        many=True, required=False, max_length=MAX_ENUMERATIONS, default=list
    )


class SyncRecordSerializer(serializers.ModelSerializer):
    kit = serializers.CharField(source="kit.inventory_number", read_only=True)
    institution = serializers.IntegerField(source="institution_id", read_only=True)
    clock_skew_seconds = serializers.SerializerMethodField()

    class Meta:
        model = SyncRecord
        fields = (
            "id",
            "kit",
            "institution",
            "channel",
            "sent_at",
            "received_at",
            "clock_skew_seconds",
            "form_count",
            "payload_checksum",
            "idempotency_key",
            "enumerated_count",
            "usb_stage",
            "media_id",
            "offloaded_at",
            "uploaded_at",
            "verified_at",
        )
        read_only_fields = fields

    def get_clock_skew_seconds(self, record: SyncRecord) -> int:
        return round(record.clock_skew.total_seconds())
