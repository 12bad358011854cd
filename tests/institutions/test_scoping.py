import pytest
from django.urls import reverse

from tests.factories import api_client_key

pytestmark = pytest.mark.django_db


def test_officer_sees_own_institution_page(client_for, officer_a, institution_a):
    url = reverse("institutions:institution_detail", args=[institution_a.pk])
    assert client_for(officer_a).get(url).status_code == 200


def test_officer_cannot_see_other_institution_page(client_for, officer_a, institution_b):
    url = reverse("institutions:institution_detail", args=[institution_b.pk])
    assert client_for(officer_a).get(url).status_code == 404


def test_department_sees_any_institution_page(client_for, department_user, institution_b):
    url = reverse("institutions:institution_detail", args=[institution_b.pk])
    assert client_for(department_user).get(url).status_code == 200


def test_officer_api_lists_only_own_institution(client_for, officer_a, institution_b):
    body = client_for(officer_a).get("/api/v1/institutions/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["results"][0]["id"] == officer_a.institution_id
    assert {"id", "bin", "name_kk", "name_ru", "type", "district"} <= set(body["results"][0])


def test_officer_api_gets_404_for_other_institution(client_for, officer_a, institution_b):
    response = client_for(officer_a).get(f"/api/v1/institutions/{institution_b.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_institution_client_token_sees_only_own_institution(client, officer_a, institution_b):
    key = api_client_key(institution=officer_a.institution)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/institutions/", **auth).json()["count"] == 1
    assert client.get(f"/api/v1/institutions/{institution_b.pk}/", **auth).status_code == 404
    own = client.get(f"/api/v1/institutions/{officer_a.institution_id}/", **auth)
    assert own.status_code == 200
    assert own.json()["bin"] == officer_a.institution.bin


def test_department_api_filters(client_for, department_user, institution_a, institution_b):
    from institutions.models import District
    from tests.factories import InstitutionFactory

    district = District.objects.order_by("code").last()
    InstitutionFactory(name_kk="Шалғай", district=district, is_active=False)
    client = client_for(department_user)
    assert client.get("/api/v1/institutions/").json()["count"] == 3
    by_district = client.get("/api/v1/institutions/", {"district": district.code}).json()
    assert [row["name_kk"] for row in by_district["results"]] == ["Шалғай"]
    assert client.get("/api/v1/institutions/", {"is_active": "false"}).json()["count"] == 1
    found = client.get("/api/v1/institutions/", {"search": institution_b.bin}).json()
    assert [row["id"] for row in found["results"]] == [institution_b.pk]


def test_anonymous_api_is_refused(client):
    assert client.get("/api/v1/institutions/").status_code in (401, 403)


def test_region_department_user_sees_no_other_regions_staff_on_a_seminar(client_for, institution_a):
    from django.urls import reverse

    from institutions.models import Region
    from tests.factories import DepartmentUserFactory, ResponsibleStaffFactory
    from tests.institutions.factories import SeminarAttendanceFactory, SeminarFactory

    seminar = SeminarFactory()
    SeminarAttendanceFactory(
        seminar=seminar,
        staff=ResponsibleStaffFactory(institution=institution_a, full_name="Зарина Оспанова"),
    )
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = DepartmentUserFactory(region=elsewhere)
    url = reverse("admin:institutions_seminar_change", args=[seminar.pk])
    response = client_for(outsider).get(url)
    assert response.status_code == 200
    assert "Зарина Оспанова" not in response.content.decode()
