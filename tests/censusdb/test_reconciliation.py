"""The four-way reconciliation with the census database (issue 19 item 5): each section
with its counts, the window split, the XLSX cells, and who sees what (the commission
counts only; an officer their own institution; another region's Department nothing)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from censusdb.models import CensusReview, ReconciliationCount
from censusdb.services import census_review_resolve
from institutions.models import Campaign, Region
from respondents.services import respondent_record_departure
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import people
from tests.factories import DepartmentUserFactory

pytestmark = pytest.mark.django_db

URL = "/census-db/reconciliation/"
EXPORT = "/census-db/reconciliation/export/"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _counts(institution):
    row = ReconciliationCount.objects.get(institution=institution)
    return row.in_db, row.elsewhere, row.unlisted


def _rows(response):
    return {row.code: row.counts for row in response.context["report"].rows}


def test_export_run_leaves_the_counters_of_each_section(world, institution_a, institution_b):
    assert _counts(institution_a) == (2, 2, 2)
    assert _counts(institution_b) == (1, 0, 0)


def test_page_drills_down_to_institutions_with_every_sections_count(
    client_en, department_user, world, institution_a, institution_b
):
    client = client_en(department_user)
    top = client.get(URL)
    assert top.status_code == 200
    assert top.context["report"].level == "region"
    total = top.context["report"].total
    assert (total.listed, total.in_db, total.not_in_db, total.unlisted, total.elsewhere) == (
        7, 3, 2, 2, 2,
    )  # fmt: skip
    district = institution_a.district
    region_level = client.get(URL, {"region": district.region.code})
    assert region_level.context["report"].level == "district"
    assert district.code in _rows(region_level)
    by_institution = client.get(URL, {"district": district.code})
    rows = _rows(by_institution)
    a, b = rows[institution_a.bin], rows[institution_b.bin]
    assert (a.listed, a.in_db, a.not_in_db, a.unlisted, a.elsewhere) == (6, 2, 2, 2, 2)
    assert (b.listed, b.in_db, b.not_in_db, b.unlisted, b.elsewhere) == (1, 1, 0, 0, 0)
    assert f"?institution={institution_a.bin}" in by_institution.content.decode()


def test_section_filter_keeps_institutions_with_anyone_in_it(
    client_en, department_user, world, institution_a, institution_b
):
    response = client_en(department_user).get(
        URL, {"district": institution_a.district.code, "section": "unlisted"}
    )
    assert set(_rows(response)) == {institution_a.bin}
    type_code = institution_a.type.code
    response = client_en(department_user).get(URL, {"type": type_code, "section": "in_db"})
    assert response.context["report"].total.in_db == 3


@pytest.mark.parametrize(
    ("section", "shown", "hidden"),
    [
        ("in_db", ["Абаева", "Бабаева"], ["Ғалиева", "Жаксыбеков", "Кеңесова"]),
        ("not_in_db", ["Ғалиева", "Дәулетова"], ["Абаева", "Жаксыбеков", "Исаева"]),
        ("unlisted", ["Кеңесова", "Мұратова"], ["Абаева", "Ғалиева"]),
        ("elsewhere", ["Жаксыбеков", "Зейнолла"], ["Абаева", "Ғалиева", "Кеңесова"]),
    ],
)
def test_department_sees_the_people_of_a_section(
    client_en, department_user, world, institution_a, section, shown, hidden
):
    response = client_en(department_user).get(
        URL, {"institution": institution_a.bin, "section": section}
    )
    text = response.content.decode()
    assert response.context["page"].paginator.count == 2
    for name in shown:
        assert name in text
    for name in hidden:
        assert name not in text


def test_not_in_the_census_db_splits_by_the_method_windows(
    client_en, department_user, commission_user, world
):
    campaign = Campaign.objects.get(is_active=True)
    last_day = max(campaign.online_end, campaign.tablet_end)
    client = client_en(department_user)
    with override_settings(CENSUS_TODAY=last_day.isoformat()):
        open_ = client.get(URL)
    with override_settings(CENSUS_TODAY=(last_day + dt.timedelta(days=1)).isoformat()):
        closed = client.get(URL)
    assert open_.context["report"].still_time is True
    assert closed.context["report"].still_time is False
    assert "Not in the census database: still time" in open_.content.decode()
    assert "The enumeration windows are closed." in closed.content.decode()
    # The commission's export puts the two people in the one column that applies.
    commission = client_en(commission_user)
    with override_settings(CENSUS_TODAY=last_day.isoformat()):
        during = _sheet(commission.post(EXPORT, {"section": "not_in_db"}))
    with override_settings(CENSUS_TODAY=(last_day + dt.timedelta(days=1)).isoformat()):
        after = _sheet(commission.post(EXPORT, {"section": "not_in_db"}))
    assert during[0][3:5] == (
        "Not in the census database: still time",
        "Not in the census database: window closed",
    )
    assert during[1][3:5] == (2, 0)
    assert after[1][3:5] == (0, 2)


def _sheet(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_department_exports_a_sections_people(
    client_en, department_user, world, institution_a, institution_b
):
    rows = _sheet(
        client_en(department_user).post(
            EXPORT, {"section": "elsewhere", "district": institution_a.district.code}
        )
    )
    assert rows[0][3] == "Surname"
    body = sorted(rows[1:], key=lambda r: r[3])
    assert [(r[1], r[3], r[8], r[9]) for r in body] == [
        (institution_a.bin, "Жаксыбеков", "X-1", institution_b.bin),
        (institution_a.bin, "Зейнолла", "X-2", None),
    ]
    unlisted = _sheet(client_en(department_user).post(EXPORT, {"section": "unlisted"}))
    assert sorted(r[3] for r in unlisted[1:]) == ["Кеңесова", "Мұратова"]


def test_commission_sees_and_exports_counts_only(client_en, commission_user, world, institution_a):
    client = client_en(commission_user)
    names = ["Абаева", "Ғалиева", "Жаксыбеков", "Кеңесова", "Исаева", "Сара"]
    for section in ("in_db", "not_in_db", "unlisted", "elsewhere"):
        response = client.get(URL, {"institution": institution_a.bin, "section": section})
        assert response.status_code == 200
        assert response.context["page"] is None
        text = response.content.decode()
        assert not [name for name in names if name in text]
    rows = _sheet(client.post(EXPORT, {"section": "not_in_db"}))
    assert rows[0][0] == "District"
    cells = {str(cell) for row in rows for cell in row}
    assert not [name for name in names if any(name in cell for cell in cells)]
    (district_row,) = rows[1:]
    assert district_row[0] == institution_a.district.name
    assert district_row[1:3] == (7, 3)
    assert sum(district_row[3:5]) == 2
    assert district_row[5:] == (2, 2)


def test_officer_sees_own_institution_only(
    client_en, officer_a, officer_b, world, institution_a, institution_b
):
    response = client_en(officer_b).get(URL)
    assert set(_rows(response)) == {institution_b.bin}
    assert response.context["report"].total.listed == 1
    text = client_en(officer_b).get(URL, {"section": "not_in_db"}).content.decode()
    assert "Ғалиева" not in text
    assert "Кеңесова" not in text
    # Another institution's BIN in the query changes nothing.
    response = client_en(officer_b).get(URL, {"institution": institution_a.bin})
    assert set(_rows(response)) <= {institution_b.bin}
    own = client_en(officer_a).get(URL, {"section": "not_in_db"})
    assert "Ғалиева" in own.content.decode()
    assert "Дәулетова" in own.content.decode()
    assert client_en(officer_a).post(EXPORT, {"section": "not_in_db"}).status_code == 403


def test_another_regions_department_sees_nothing(client_en, world, institution_a):
    other = Region.objects.create(code="other", name_kk="Басқа облыс", name_ru="Другая область")
    department = DepartmentUserFactory(username="other_region", region=other)
    client = client_en(department)
    response = client.get(URL, {"section": "not_in_db"})
    total = response.context["report"].total
    assert (total.listed, total.in_db, total.unlisted, total.elsewhere) == (0, 0, 0, 0)
    assert "Ғалиева" not in response.content.decode()
    rows = _sheet(client.post(EXPORT, {"section": "unlisted"}))
    assert rows[1:] == []


def test_a_review_decision_recounts(department_user, institution_a, world):
    own_list = world["here"][0].respondent_list
    person = people(own_list, 1, iin="", surname="Әлиева", given_name="Гүлнар")[0]
    run_export(
        department_user,
        [form("V-1", person, Surname="Алиева", **{"Given name": "Гулнар"})],
    )
    assert _counts(institution_a) == (2, 2, 2)  # a variant waits for the Department
    review = CensusReview.objects.get(record__form_number="V-1")
    census_review_resolve(actor=department_user, review=review, accept=True)
    assert _counts(institution_a) == (3, 2, 2)


def test_navigation_and_import_page_link_the_reconciliation(client_en, department_user):
    client = client_en(department_user)
    assert URL in client.get("/census-db/").content.decode()
    assert URL in client.get("/lists/stage2/progress/").content.decode()


def test_a_departure_before_the_critical_moment_recounts(department_user, institution_a, world):
    """Who counts as listed changed (``listed_changed``): the counters follow at once."""
    respondent_record_departure(
        actor=department_user,
        respondent=world["here"][0],
        departed_on=dt.date(2021, 8, 10),
        reason="left",
    )
    assert _counts(institution_a) == (1, 2, 2)


def test_rebuild_command_recounts_what_was_written_behind_the_services(institution_a, world):
    ReconciliationCount.objects.filter(institution=institution_a).update(in_db=99, unlisted=0)
    out = io.StringIO()
    call_command("reconciliation_rebuild", stdout=out)
    assert "institutions=2" in out.getvalue()
    assert _counts(institution_a) == (2, 2, 2)
