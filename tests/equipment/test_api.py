import pytest

pytestmark = pytest.mark.django_db


def test_officer_api_sees_only_own_acts_and_kits(
    client_for, officer_a, make_act, staff_a, staff_b, kits
):
    own = make_act(staff=staff_a, kits=kits[:1], sign=True)
    other = make_act(staff=staff_b, kits=kits[1:2])
    client = client_for(officer_a)
    acts = client.get("/api/v1/equipment/acts/").json()
    assert [a["id"] for a in acts["results"]] == [own.pk]
    assert acts["results"][0]["items"][0]["kit"]["serial"] == kits[0].serial
    assert client.get(f"/api/v1/equipment/acts/{other.pk}/").status_code == 404
    body = client.get(f"/api/v1/equipment/acts/{other.pk}/").json()
    assert set(body) == {"code", "message", "errors"}
    kit_ids = [k["id"] for k in client.get("/api/v1/equipment/kits/").json()["results"]]
    assert kit_ids == [kits[0].pk]
    assert client.get(f"/api/v1/equipment/kits/{kits[2].pk}/").status_code == 404


def test_department_api_sees_store_and_region(client_for, department_user, make_act, staff_a, kits):
    make_act(staff=staff_a, kits=kits[:1])
    response = client_for(department_user).get("/api/v1/equipment/kits/", {"state": "in_stock"})
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_api_unknown_state_answers_400_naming_the_parameter(client_for, department_user, kits):
    response = client_for(department_user).get("/api/v1/equipment/kits/", {"state": "lost"})
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["errors"]] == ["state"]
