"""Census-database pages and API: scoping (an officer never sees another institution's
forms; the commission sees counts only), the review queue's decisions, REST push."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from censusdb import services
from censusdb.models import CensusExport, CensusRecord, CensusReview
from enumeration.models import Enumeration
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import api_client_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def imported(department_user, institution_a, institution_b):
    """A's person matched, B's person on a form for B, a variant for A under review."""
    list_a = accepted_list(institution_a)
    person_a = people(list_a, 1, surname="Абенова", given_name="Сара")[0]
    person_b = people(accepted_list(institution_b), 1, surname="Бекова", given_name="Дана")[0]
    variant = people(list_a, 1, iin="", surname="Әлиева", given_name="Гүлнар")[0]
    run_export(
        department_user,
        [
            form("A-1", person_a),
            form("B-1", person_b),
            form("A-2", variant, Surname="Алиева", **{"Given name": "Гулнар"}),
        ],
    )
    return person_a, person_b, variant


def test_officer_sees_only_own_institutions_forms(client_for, officer_a, imported):
    response = client_for(officer_a).get("/census-db/forms/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Абенова" in text
    assert "Бекова" not in text
    assert "B-1" not in text


def test_commission_gets_counts_and_no_names(client_for, commission_user, imported):
    assert client_for(commission_user).get("/census-db/forms/").status_code == 403
    response = client_for(commission_user).get("/census-db/counts/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Абенова" not in text
    assert "Әлиева" not in text
    rows = {row.name: row for row in response.context["page"]}
    assert sum(row.total for row in rows.values()) == 3
    assert sum(row.n_applied for row in rows.values()) == 2
    assert sum(row.n_review for row in rows.values()) == 1


def test_officer_cannot_open_the_review_queue_or_imports(client_for, officer_a, imported):
    review = CensusReview.objects.get()
    assert client_for(officer_a).get("/census-db/review/").status_code == 403
    assert client_for(officer_a).get(f"/census-db/review/{review.pk}/").status_code == 403
    assert client_for(officer_a).get("/census-db/").status_code == 403


def test_department_accepts_a_variant_candidate_from_the_review_page(
    client_for, department_user, imported
):
    _a, _b, variant = imported
    review = CensusReview.objects.get()
    client = client_for(department_user)
    page = client.get(f"/census-db/review/{review.pk}/")
    assert page.status_code == 200
    assert "Әлиева" in page.content.decode()
    assert "Алиева" in page.content.decode()
    response = client.post(
        f"/census-db/review/{review.pk}/", {"decision": "accept", "respondent": variant.pk}
    )
    assert response.status_code == 302
    enumeration = Enumeration.objects.get(respondent=variant)
    assert (enumeration.source, enumeration.registration_number) == ("census", "A-2")
    review.refresh_from_db()
    assert (review.state, review.chosen, review.resolved_by) == (
        "accepted",
        variant,
        department_user,
    )
    assert CensusRecord.objects.get(form_number="A-2").state == "applied"
    assert AuditEvent.objects.filter(object_type="censusdb.censusreview").exists()


def test_rejecting_a_conflict_keeps_the_officers_outcome(department_user, officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person, day=dt.date(2021, 9, 30))
    run_export(department_user, [form("C-1", person)])
    review = CensusReview.objects.get(kind="conflict")
    services.census_review_resolve(actor=department_user, review=review, accept=False)
    assert Enumeration.objects.get(respondent=person).enumerated_on == dt.date(2021, 9, 30)
    assert CensusRecord.objects.get(form_number="C-1").state == "rejected"


def test_accepting_a_conflict_records_the_census_side(department_user, officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person, day=dt.date(2021, 9, 30))
    run_export(department_user, [form("C-2", person)])
    review = CensusReview.objects.get(kind="conflict")
    services.census_review_resolve(actor=department_user, review=review, accept=True)
    enumeration = Enumeration.objects.get(respondent=person)
    assert (enumeration.enumerated_on, enumeration.source) == (dt.date(2021, 9, 20), "census")


def test_a_department_wide_api_client_pushes_rows(institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_client_key()}")
    row = {
        "form_number": "R-1",
        "iin": person.iin,
        "surname": person.surname,
        "given_name": person.given_name,
        "method": "tablet",
        "completed_at": "2021-10-05T11:00:00+06:00",
        "tablet": "KIT-0001",
    }
    response = client.post("/api/v1/census-exports/", {"rows": [row]}, format="json")
    assert response.status_code == 202, response.json()
    export = CensusExport.objects.get(pk=response.json()["id"])
    export = services.census_export_run(export_id=export.pk)
    assert export.applied == 1, (export.message, CensusReview.objects.values_list("note"))
    enumeration = Enumeration.objects.get(respondent=person)
    assert (enumeration.method, enumeration.tablet_kit_ref) == ("tablet", "KIT-0001")
    assert client.get(f"/api/v1/census-exports/{export.pk}/").json()["applied"] == 1


def test_an_institutions_api_client_cannot_push(institution_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_client_key(institution=institution_a)}")
    response = client.post("/api/v1/census-exports/", {"rows": []}, format="json")
    assert response.status_code == 403
    assert client.get("/api/v1/census-exports/").status_code == 403


def test_review_queue_and_forms_follow_the_selected_campaign(client_for, department_user, imported):
    """Once a newer campaign is active, the 2021 forms and their review are shown only with
    2021 chosen in the header (as every other board), not mixed into the new campaign's."""
    from django.urls import reverse

    from institutions.selectors import campaign_get_active
    from tests.institutions.test_campaign_history import open_2031

    old = campaign_get_active()
    open_2031(department_user)
    client = client_for(department_user)

    queue = client.get("/census-db/review/").content.decode()
    assert "A-2" not in queue  # the variant under review is a 2021 form
    assert "Абенова" not in client.get("/census-db/forms/").content.decode()

    client.post(reverse("institutions:campaign_select"), {"campaign": old.pk})
    queue = client.get("/census-db/review/").content.decode()
    assert "A-2" in queue
    assert "Абенова" in client.get("/census-db/forms/").content.decode()
