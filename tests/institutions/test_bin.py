import pytest
from django.core.exceptions import ValidationError

from census_coord.kz_ids import check_digit
from institutions.validators import validate_bin
from tests.factories import InstitutionFactory

# First round: 0*1+5*2+0*3+1*4+4*5+0*6+...+1*11 = 45, 45 mod 11 = 1.
VALID_BIN = "050140000011"


def _second_round_bin() -> str:
    """Eleven digits whose first round gives 10, so the second round decides."""
    for serial in range(10000):
        first = f"0501404{serial:04d}"
        digits = [int(c) for c in first]
        if sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 == 10:
            digit = check_digit(first)
            if digit is not None:
                return f"{first}{digit}"
    raise AssertionError("no second-round BIN found")


def test_valid_bin_passes():
    validate_bin(VALID_BIN)


def test_bin_with_wrong_check_digit_is_refused():
    wrong = VALID_BIN[:11] + str((int(VALID_BIN[11]) + 1) % 10)
    with pytest.raises(ValidationError) as info:
        validate_bin(wrong)
    assert info.value.code == "bin_check_digit"


def test_bin_decided_by_second_round_passes_and_its_neighbour_fails():
    bin_ = _second_round_bin()
    validate_bin(bin_)
    with pytest.raises(ValidationError):
        validate_bin(bin_[:11] + str((int(bin_[11]) + 1) % 10))


@pytest.mark.parametrize(
    "value", ["12345678901", "1234567890123", "05014000001A", "０５０１４０００００１５"]
)
def test_bin_of_wrong_shape_is_refused(value):
    with pytest.raises(ValidationError) as info:
        validate_bin(value)
    assert info.value.code == "bin_format"


@pytest.mark.django_db
def test_institution_with_bad_bin_fails_full_clean():
    institution = InstitutionFactory.build(bin="050140000012")
    with pytest.raises(ValidationError) as info:
        institution.full_clean()
    assert "bin" in info.value.message_dict
