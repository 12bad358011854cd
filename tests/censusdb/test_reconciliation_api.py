"""The four-way reconciliation over REST (``/api/v1/census-reconciliation/``): the numbers
of the page for sections of 0, 1 and 2 people, the people behind a section, who sees what
(an officer or an institution's client their own institution, the commission counts only,
another region nothing), constant queries, the schema and translated 400s."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audit.models import AuditEvent
from census_coord import clock
from enumeration.progress_services import progress_rebuild
from institutions.models import Campaign, Region
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people
from tests.factories import DepartmentUserFactory, api_client_key

pytestmark = pytest.mark.django_db

COUNTS = "/api/v1/census-reconciliation/"
PEOPLE = "/api/v1/census-reconciliation/people/"
SECTIONS = ("listed", "in_db", "not_in_db", "unlisted", "elsewhere")
NAMES = ["Абаева", "Бабаева", "Ғалиева", "Дәулетова", "Жаксыбеков", "Зейнолла", "Кеңесова"]
NAMES += ["Мұратова", "Исаева"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _session(user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client = APIClient()
    client.force_login(user)
    return client


def _token(**kwargs):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_client_key(**kwargs)}")
    return client


def _numbers(counts):
    return tuple(counts[section] for section in SECTIONS)


def _rows(body):
    return {row["code"]: _numbers(row) for row in body["results"]}


def _get(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    return response.json()


def test_counts_per_institution_are_the_pages_for_0_1_and_2_people(
    department_user, world, institution_a, institution_b
):
    body = _get(_session(department_user), COUNTS, {"district": institution_a.district.code})
    assert body["group"] == "institution"
    assert body["campaign"] == Campaign.objects.get(is_active=True).code
    campaign = Campaign.objects.get(is_active=True)
    assert body["still_time"] is (clock.today() <= max(campaign.online_end, campaign.tablet_end))
    # A: two in every section; B: one in the census database and nobody anywhere else.
    assert _rows(body) == {
        institution_a.bin: (6, 2, 2, 2, 2),
        institution_b.bin: (1, 1, 0, 0, 0),
    }
    assert _numbers(body["total"]) == (7, 3, 2, 2, 2)
    assert body["count"] == 2
    assert body["next"] is None
    names = {row["code"]: (row["name"], row["district"]) for row in body["results"]}
    assert names[institution_a.bin] == (institution_a.name, institution_a.district.name)


@pytest.mark.parametrize("group", ["region", "district", "type"])
def test_counts_by_region_district_and_type_add_up(department_user, world, institution_a, group):
    body = _get(_session(department_user), COUNTS, {"group": group})
    assert body["group"] == group
    code = {
        "region": institution_a.district.region.code,
        "district": institution_a.district.code,
        "type": institution_a.type.code,
    }[group]
    assert sum(row[s] for row in body["results"] for s in ("listed",)) == 7
    assert _rows(body)[code][0] >= 6
    assert _numbers(body["total"]) == (7, 3, 2, 2, 2)


def test_default_group_drills_down_as_the_page(department_user, world, institution_a):
    client = _session(department_user)
    assert _get(client, COUNTS)["group"] == "region"
    region = institution_a.district.region.code
    assert _get(client, COUNTS, {"region": region})["group"] == "district"
    assert _get(client, COUNTS, {"institution": institution_a.bin})["group"] == "institution"


def test_section_filter_keeps_institutions_with_anyone_in_it(
    department_user, world, institution_a, institution_b
):
    client = _session(department_user)
    params = {"group": "institution", "section": "unlisted"}
    assert set(_rows(_get(client, COUNTS, params))) == {institution_a.bin}
    params["section"] = "in_db"
    assert set(_rows(_get(client, COUNTS, params))) == {institution_a.bin, institution_b.bin}


@pytest.mark.parametrize(
    ("section", "bin_of", "names"),
    [
        ("in_db", "a", ["Абаева", "Бабаева"]),
        ("not_in_db", "a", ["Ғалиева", "Дәулетова"]),
        ("unlisted", "a", ["Кеңесова", "Мұратова"]),
        ("elsewhere", "a", ["Жаксыбеков", "Зейнолла"]),
        ("in_db", "b", ["Исаева"]),
        ("not_in_db", "b", []),
        ("unlisted", "b", []),
    ],
)
def test_department_reads_the_people_of_a_section(
    department_user, world, institution_a, institution_b, section, bin_of, names
):
    institution = institution_a if bin_of == "a" else institution_b
    body = _get(
        _session(department_user), PEOPLE, {"section": section, "institution": institution.bin}
    )
    assert body["section"] == section
    assert body["count"] == len(names)
    assert sorted(person["surname"] for person in body["results"]) == sorted(names)
    for person in body["results"]:
        assert person["institution_bin"] == institution.bin
        assert (person["respondent_id"] is None) == (section == "unlisted")


def test_a_persons_form_is_named(department_user, world, institution_a, institution_b):
    body = _get(_session(department_user), PEOPLE, {"section": "elsewhere"})
    forms = {p["surname"]: (p["form_number"], p["form_bin"]) for p in body["results"]}
    assert forms == {"Жаксыбеков": ("X-1", institution_b.bin), "Зейнолла": ("X-2", "")}
    missing = _get(_session(department_user), PEOPLE, {"section": "not_in_db"})["results"]
    assert {(p["form_number"], p["form_bin"]) for p in missing} == {("", "")}
    unlisted = _get(_session(department_user), PEOPLE, {"section": "unlisted"})["results"]
    assert {p["form_number"] for p in unlisted} == {"N-1", "N-2"}


def test_commission_gets_counts_and_never_names(commission_user, world, institution_a):
    client = _session(commission_user)
    for params in ({}, {"group": "institution"}, {"section": "not_in_db"}, {"group": "type"}):
        text = json.dumps(_get(client, COUNTS, params), ensure_ascii=False)
        assert not [name for name in NAMES if name in text]
    assert _numbers(_get(client, COUNTS)["total"]) == (7, 3, 2, 2, 2)
    for section in ("in_db", "not_in_db", "unlisted", "elsewhere"):
        body = _get(client, PEOPLE, {"section": section}, status=403)
        assert body["code"] == "permission_denied"
        assert not [name for name in NAMES if name in json.dumps(body, ensure_ascii=False)]


@pytest.mark.parametrize("how", ["officer", "institution_client"])
def test_an_institutions_own_caller_sees_its_own_numbers_and_people_only(
    how, officer_a, officer_b, world, institution_a, institution_b
):
    own_b = _session(officer_b) if how == "officer" else _token(institution=institution_b)
    body = _get(own_b, COUNTS)
    assert body["group"] == "institution"
    assert _rows(body) == {institution_b.bin: (1, 1, 0, 0, 0)}
    assert _numbers(body["total"]) == (1, 1, 0, 0, 0)
    for group in ("region", "district", "type"):
        assert _numbers(_get(own_b, COUNTS, {"group": group})["total"]) == (1, 1, 0, 0, 0)
    # Another institution's BIN in the query changes nothing: still nobody of A.
    other = _get(own_b, COUNTS, {"institution": institution_a.bin})
    assert institution_a.bin not in _rows(other)
    assert _numbers(other["total"]) == (0, 0, 0, 0, 0)
    for section in ("in_db", "not_in_db", "unlisted", "elsewhere"):
        for params in (
            {"section": section},
            {"section": section, "institution": institution_a.bin},
        ):
            text = json.dumps(_get(own_b, PEOPLE, params), ensure_ascii=False)
            assert not [name for name in NAMES if name in text and name != "Исаева"]
    assert [p["surname"] for p in _get(own_b, PEOPLE, {"section": "in_db"})["results"]] == [
        "Исаева"
    ]
    own_a = _session(officer_a) if how == "officer" else _token(institution=institution_a)
    mine = _get(own_a, PEOPLE, {"section": "not_in_db"})
    assert sorted(p["surname"] for p in mine["results"]) == sorted(["Ғалиева", "Дәулетова"])
    assert _rows(_get(own_a, COUNTS)) == {institution_a.bin: (6, 2, 2, 2, 2)}


def test_a_department_wide_client_sees_the_region(world, institution_a):
    client = _token()
    assert _numbers(_get(client, COUNTS)["total"]) == (7, 3, 2, 2, 2)
    assert _get(client, PEOPLE, {"section": "unlisted"})["count"] == 2


def test_another_regions_department_sees_nothing(world, institution_a):
    other = Region.objects.create(code="other", name_kk="Басқа облыс", name_ru="Другая область")
    client = _session(DepartmentUserFactory(username="other_region", region=other))
    assert _numbers(_get(client, COUNTS)["total"]) == (0, 0, 0, 0, 0)
    body = _get(client, PEOPLE, {"section": "not_in_db"})
    assert (body["count"], body["results"]) == (0, [])
    assert (
        _get(client, PEOPLE, {"section": "in_db", "institution": institution_a.bin})["results"]
        == []
    )


def test_anonymous_gets_401():
    assert APIClient().get(COUNTS).status_code == 401
    assert APIClient().get(PEOPLE, {"section": "in_db"}).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"district": "nowhere"}, "district"),
        ({"region": "nowhere"}, "region"),
        ({"type": "nowhere"}, "type"),
        ({"institution": "000000000000"}, "institution"),
        ({"section": "everyone"}, "section"),
        ({"group": "street"}, "group"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(department_user, world, params, field):
    body = _get(_session(department_user), COUNTS, params, status=400)
    assert body["code"] == "validation_error"
    assert [error["field"] for error in body["errors"]] == [field]


@pytest.mark.parametrize(
    ("language", "invalid", "required"),
    [
        ("ru", "Выберите корректный вариант", "Это поле обязательно."),
        ("kk", "Дұрыс", "Бұл өрісті толтыру міндетті."),
    ],
)
def test_errors_are_translated(department_user, world, language, invalid, required):
    client = _session(department_user, language)
    body = _get(client, COUNTS, {"district": "nowhere"}, status=400)
    assert invalid in body["errors"][0]["message"]
    assert "valid" not in body["message"]
    body = _get(client, PEOPLE, status=400)
    assert [(e["field"], e["message"]) for e in body["errors"]] == [("section", required)]
    assert _get(client, PEOPLE, {"section": "in_db", "page": 9}, status=404)["code"] == (
        "not_found"
    )


def test_reads_are_audited_with_counts_and_no_names(department_user, world):
    client = _session(department_user)
    client.get(PEOPLE, {"section": "not_in_db"})
    event = AuditEvent.objects.filter(object_type="respondents.respondent").latest("pk")
    assert event.record_count == 2
    assert event.extra["section"] == "not_in_db"
    client.get(COUNTS, {"group": "district"})
    event = AuditEvent.objects.filter(object_type="institutions.institution").latest("pk")
    assert event.actor == department_user
    assert not [name for name in NAMES if name in json.dumps(event.extra, ensure_ascii=False)]


def test_schema_lists_the_endpoints(department_user):
    client = _session(department_user)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    counts = schema["paths"]["/api/v1/census-reconciliation/"]["get"]
    people_op = schema["paths"]["/api/v1/census-reconciliation/people/"]["get"]
    assert {p["name"] for p in counts["parameters"]} >= {
        "region", "district", "institution", "type", "section", "group", "page",
    }  # fmt: skip
    section = next(p for p in people_op["parameters"] if p["name"] == "section")
    assert section["required"] is True
    assert set(section["schema"]["enum"]) == {"in_db", "not_in_db", "unlisted", "elsewhere"}
    for operation in (counts, people_op):
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])


def _queries(client, url, params):
    client.get(url, params)  # sessions, caches, first-use reads
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (COUNTS, {"group": "institution"}),
        (COUNTS, {"group": "region", "section": "in_db"}),
        (PEOPLE, {"section": "in_db"}),
        (PEOPLE, {"section": "not_in_db"}),
        (PEOPLE, {"section": "unlisted"}),
    ],
)
def test_queries_do_not_grow_with_the_people(
    department_user, officer_a, institution_a, institution_b, url, params
):
    lists = [accepted_list(institution_a), accepted_list(institution_b)]
    counts = []
    for scale, offset in ((6, 0), (60, 6)):
        forms = []
        for respondent_list in lists:
            institution = respondent_list.institution
            added = people(respondent_list, scale - offset)
            forms += [form(f"F-{p.pk}", p) for p in added[::2]]
            stranger = {"IIN": "", "Birth date": "01.02.1990", "Given name": "Белгісіз"}
            forms += [
                form(f"U-{p.pk}", None, Surname=f"Жоқ{p.pk}", **stranger, BIN=institution.bin)
                for p in added[1::2]
            ]
        progress_rebuild(campaign=lists[0].campaign)
        run_export(department_user, forms)
        for user in (department_user, officer_a):
            n, body = _queries(_session(user), url, params)
            counts.append((scale, user.username, n, body["count"]))
    small = {(u, n) for scale, u, n, _c in counts if scale == 6}
    large = {(u, n) for scale, u, n, _c in counts if scale == 60}
    assert small == large, counts
    if url == PEOPLE:  # ten times the people, more than a page: still one page read
        assert max(c for scale, _u, _n, c in counts if scale == 60) > 50
