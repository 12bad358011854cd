from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from equipment.models import HandoverAct, HandoverItem, TabletKit

if TYPE_CHECKING:
    from institutions.models import Campaign


class TabletKitSerializer(serializers.ModelSerializer):
    holder_institution_bin = serializers.CharField(
        source="holder_institution.bin", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = TabletKit
        fields = (
            "id",
            "inventory_number",
            "serial",
            "imei",
            "model",
            "components",
            "state",
            "holder_institution_bin",
        )


class HandoverItemSerializer(serializers.ModelSerializer):
    kit = TabletKitSerializer(read_only=True)

    class Meta:
        model = HandoverItem
        fields = (
            "kit",
            "components_at_handover",
            "is_open",
            "tablet_outcome",
            "components_at_return",
            "return_note",
        )


class HandoverActSerializer(serializers.ModelSerializer):
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    institution_bin = serializers.CharField(source="institution.bin", read_only=True)
    received_by = serializers.CharField(source="received_by.full_name", read_only=True)
    items = HandoverItemSerializer(many=True, read_only=True)

    class Meta:
        model = HandoverAct
        fields = (
            "id",
            "campaign",
            "number",
            "act_date",
            "institution_bin",
            "received_by",
            "instruction_booklets",
            "certificate_blanks",
            "status",
            "department_signed_on",
            "recipient_signed_on",
            "items",
        )
