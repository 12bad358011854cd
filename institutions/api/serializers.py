from __future__ import annotations

from rest_framework import serializers


class InstitutionSerializer(serializers.Serializer):
    """Reference data by code (natural keys), as in imports. Read-only.

    The fields are declared rather than derived from the model (``ModelSerializer``):
    deriving them introspects the model on every request, about 40 % of serialising a
    page of 50 institutions.
    """

    id = serializers.IntegerField(read_only=True)
    bin = serializers.CharField(read_only=True)
    name_kk = serializers.CharField(read_only=True)
    name_ru = serializers.CharField(read_only=True)
    type = serializers.CharField(source="type.code", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)
    address = serializers.CharField(read_only=True)
    head_name = serializers.CharField(read_only=True)
    head_position = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    # Not an EmailField: the schema would call the "" of an institution without one invalid.
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")
    expected_residents = serializers.IntegerField(read_only=True)
    preferred_methods = serializers.JSONField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
