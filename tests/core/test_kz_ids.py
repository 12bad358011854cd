import pytest

from census_coord.kz_ids import check_digit, has_valid_check_digit, with_check_digit


def test_first_round_check_digit():
    # 1+0+9*... worked example: weights 1..11 over 90010130001 give remainder 0..9
    value = with_check_digit("90010130001")
    assert value is not None
    assert has_valid_check_digit(value)


def test_second_round_used_when_first_gives_ten():
    # Find eleven digits whose first round gives 10 and second round does not.
    for serial in range(10000):
        first = f"8512143{serial:04d}"
        digits = [int(c) for c in first]
        if sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 != 10:
            continue
        second = check_digit(first)
        if second is not None:
            assert has_valid_check_digit(f"{first}{second}")
            return
    pytest.fail("no second-round case found")


def test_both_rounds_ten_means_invalid():
    assert check_digit("82121424009") is None
    assert not has_valid_check_digit("821214240092")


@pytest.mark.parametrize(
    "value", ["", "12345", "1234567890123", "12345678901a", "１２３４５６７８９０１２"]
)
def test_malformed_values_are_invalid(value):
    assert not has_valid_check_digit(value)
