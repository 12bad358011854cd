import pytest
import tablib

from institutions.models import District, Institution, InstitutionType, ResponsibleStaff
from institutions.resources import InstitutionResource, ResponsibleStaffResource
from tests.factories import InstitutionFactory, _valid_bin

pytestmark = pytest.mark.django_db

HEADERS = ["bin", "name_kk", "name_ru", "type_code", "district_code", "expected_residents"]


def _dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_import_matches_institutions_on_natural_keys():
    district = District.objects.order_by("code").last()
    kind = InstitutionType.objects.get(code=InstitutionType.objects.last().code)
    existing = InstitutionFactory(name_kk="Ескі атау", expected_residents=10)
    new_bin = _valid_bin(9001)
    result = InstitutionResource().import_data(
        _dataset(
            [existing.bin, "Жаңа атау", "Новое название", kind.code, district.code, 40],
            [new_bin, "Жаңа мекеме", "Новое учреждение", kind.code, district.code, 25],
        )
    )
    assert not result.has_errors()
    assert not result.has_validation_errors()
    existing.refresh_from_db()
    assert (existing.name_kk, existing.expected_residents) == ("Жаңа атау", 40)
    assert existing.district == district
    created = Institution.objects.get(bin=new_bin)
    assert created.type == kind
    assert Institution.objects.count() == 2


def test_import_with_a_bad_row_is_rejected_whole_with_row_errors():
    kind = InstitutionType.objects.first()
    district = District.objects.first()
    good_bin = _valid_bin(9002)
    dataset = _dataset(
        [good_bin, "Жақсы", "Хорошее", kind.code, district.code, 10],
        ["050140000012", "Қате БСН", "Неверный БИН", kind.code, district.code, 10],
        [_valid_bin(9003), "Аудан жоқ", "Нет района", kind.code, "no-such-district", 10],
    )
    result = InstitutionResource().import_data(dataset)
    assert result.has_validation_errors()
    invalid_rows = {row.number for row in result.invalid_rows}
    assert invalid_rows == {2, 3}
    messages = {row.number: row.error_dict for row in result.invalid_rows}
    assert "bin" in messages[2]
    assert "district_code" in messages[3] or "district" in messages[3]
    assert not Institution.objects.filter(bin=good_bin).exists()
    assert Institution.objects.count() == 0


def test_staff_import_matches_institution_by_bin():
    institution = InstitutionFactory()
    dataset = tablib.Dataset(
        [institution.bin, "Иванова Елена", "12-ө", "2021-05-12"],
        headers=["institution_bin", "full_name", "order_number", "order_date"],
    )
    result = ResponsibleStaffResource().import_data(dataset)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    staff = ResponsibleStaff.objects.get()
    assert staff.institution == institution
    # Importing the same file again updates, not duplicates.
    ResponsibleStaffResource().import_data(dataset)
    assert ResponsibleStaff.objects.count() == 1


def test_staff_import_with_unknown_bin_is_rejected():
    dataset = tablib.Dataset(
        [_valid_bin(9100), "Белгісіз", "1-ө"],
        headers=["institution_bin", "full_name", "order_number"],
    )
    result = ResponsibleStaffResource().import_data(dataset)
    assert result.has_errors() or result.has_validation_errors()
    assert ResponsibleStaff.objects.count() == 0


def test_export_uses_natural_keys():
    institution = InstitutionFactory()
    exported = InstitutionResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["bin"] == institution.bin
    assert row["district_code"] == institution.district.code
    assert row["type_code"] == institution.type.code
    assert "id" not in exported.headers
