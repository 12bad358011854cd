"""Field validators for institution data."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from census_coord.kz_ids import has_valid_check_digit


def validate_bin(value: str) -> None:
    """A BIN is twelve digits whose last one is the mod-11 check digit (same rule as IIN)."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not has_valid_check_digit(value):
        raise ValidationError(_("The BIN's check digit is wrong."), code="bin_check_digit")
