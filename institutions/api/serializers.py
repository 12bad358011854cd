from __future__ import annotations

from rest_framework import serializers

from institutions.models import Institution


class InstitutionSerializer(serializers.ModelSerializer):
    """Reference data by code (natural keys), as in imports."""

    type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
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
        ]
        read_only_fields = fields
