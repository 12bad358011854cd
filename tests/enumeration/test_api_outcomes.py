"""REST reads of stage 2 (enumeration/api/outcomes.py): outcomes with their filters and the
certificate register with its PDF, scoped as the pages (another institution: 404, nothing
in lists; the commission, which has no names: 403)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from enumeration import services
from enumeration.models import CertificatePrint, Enumeration
from tests.enumeration.stage2 import TABLET_DAY, accepted_list, enumerate_online, people
from tests.factories import CommissionUserFactory, api_client_key

pytestmark = pytest.mark.django_db

OUTCOMES = "/api/v1/enumerations/"
CERTIFICATES = "/api/v1/certificates/"


def _auth(institution=None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=institution)}"}


@pytest.fixture
def stage2(institution_a, officer_a):
    """A's list: one enumerated online (with a certificate), one by tablet, one pending,
    one left before the critical moment (not listed for stage 2)."""
    respondent_list = accepted_list(institution_a)
    online, tablet, pending = people(respondent_list, 3)
    people(respondent_list, 1, departed_on=dt.date(2021, 7, 1), departure_reason="left")
    enumerate_online(officer_a, online)
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=tablet.pk, status="enumerated", method="tablet", enumerated_on=TABLET_DAY
        ),
    )
    certificate = services.certificate_issue(actor=officer_a, respondent=online)
    return {"online": online, "tablet": tablet, "pending": pending, "certificate": certificate}


def test_institution_client_reads_its_outcomes(client, stage2, institution_a):
    response = client.get(OUTCOMES, **_auth(institution_a))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 3  # the leaver is not listed
    rows = {row["respondent_id"]: row for row in body["results"]}
    online = rows[stage2["online"].pk]
    assert (online["status"], online["method"], online["enumerated_on"]) == (
        "enumerated",
        "online_self",
        "2021-09-20",
    )
    assert online["certificate_number"] == stage2["certificate"].display_number
    assert online["iin"] == stage2["online"].iin
    assert online["institution_bin"] == institution_a.bin
    pending = rows[stage2["pending"].pk]
    assert (pending["status"], pending["method"], pending["updated_at"]) == ("pending", "", None)
    assert "surname" not in online  # ids and keys, not names


def test_outcomes_filter_by_status_method_and_change_time(client, stage2, institution_a):
    headers = _auth(institution_a)

    def ids(**params):
        response = client.get(OUTCOMES, params, **headers)
        assert response.status_code == 200, response.json()
        return {row["respondent_id"] for row in response.json()["results"]}

    assert ids(status="pending") == {stage2["pending"].pk}
    assert ids(status="enumerated") == {stage2["online"].pk, stage2["tablet"].pk}
    assert ids(method="tablet") == {stage2["tablet"].pk}
    Enumeration.objects.filter(respondent=stage2["online"]).update(
        updated_at=timezone.now() - dt.timedelta(days=2)
    )
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert ids(updated_since=since) == {stage2["tablet"].pk}


def test_change_time_with_any_offset_is_read_in_utc(client, stage2, institution_a):
    """PostgreSQL refuses an offset beyond ±15:59; the filter turns the moment into UTC
    first (found by the API fuzz test: ``-21:27`` was a server error)."""
    headers = _auth(institution_a)
    Enumeration.objects.filter(respondent=stage2["online"]).update(
        updated_at=timezone.now() - dt.timedelta(days=2)
    )
    offset = dt.timezone(-dt.timedelta(hours=21, minutes=27))
    since = (timezone.now() - dt.timedelta(days=1)).astimezone(offset).isoformat()
    assert since.endswith("-21:27")
    response = client.get(OUTCOMES, {"updated_since": since}, **headers)
    assert response.status_code == 200, response.json()
    assert {row["respondent_id"] for row in response.json()["results"]} == {stage2["tablet"].pk}
    old = client.get(OUTCOMES, {"updated_since": "0255-10-19T05:46:27.768254-21:27"}, **headers)
    assert old.status_code == 200, old.json()
    changed = {stage2["online"].pk, stage2["tablet"].pk}  # the pending person never changed
    assert {row["respondent_id"] for row in old.json()["results"]} == changed


def test_change_time_beyond_the_calendar_answers_400(client, stage2, institution_a):
    response = client.get(
        OUTCOMES, {"updated_since": "9999-12-31T23:00:00-05:00"}, **_auth(institution_a)
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "updated_since"
    assert "9999" in error["message"]


def test_an_unknown_filter_value_answers_400(client, stage2, institution_a):
    response = client.get(OUTCOMES, {"status": "done"}, **_auth(institution_a))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "status"


def test_another_institution_sees_no_outcome_of_a(client, stage2, institution_b, officer_b):
    headers = _auth(institution_b)
    assert client.get(OUTCOMES, **headers).json()["count"] == 0
    response = client.get(f"{OUTCOMES}{stage2['online'].pk}/", **headers)
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "errors"}
    client.force_login(officer_b)
    assert client.get(f"{OUTCOMES}{stage2['online'].pk}/").status_code == 404


def test_department_reads_the_region_and_the_commission_nothing(
    client, stage2, department_user, institution_a
):
    client.force_login(department_user)
    response = client.get(OUTCOMES, {"institution": institution_a.bin})
    assert response.json()["count"] == 3
    client.force_login(CommissionUserFactory())
    response = client.get(OUTCOMES)
    assert response.status_code == 403
    assert stage2["online"].iin not in response.content.decode()


# --- certificates ----------------------------------------------------------------------


def test_institution_client_reads_its_certificate_register(client, stage2, institution_a):
    headers = _auth(institution_a)
    response = client.get(CERTIFICATES, **headers)
    assert response.status_code == 200
    [row] = response.json()["results"]
    certificate = stage2["certificate"]
    assert row == {
        "id": certificate.pk,
        "number": certificate.display_number,
        "campaign": certificate.campaign.code,
        "issued_on": certificate.issued_on.isoformat(),
        "respondent_id": stage2["online"].pk,
        "external_ref": "",
        "full_name": stage2["online"].full_name,
        "birth_date": stage2["online"].birth_date.isoformat(),
        "institution_bin": institution_a.bin,
    }
    detail = client.get(f"{CERTIFICATES}{certificate.pk}/", **headers)
    assert detail.json()["number"] == certificate.display_number


def test_a_certificate_pdf_is_printed_and_a_reprint_is_a_duplicate(client, stage2, institution_a):
    certificate = stage2["certificate"]
    url = f"{CERTIFICATES}{certificate.pk}/pdf/"
    headers = _auth(institution_a)
    response = client.post(url, {"language": "ru"}, content_type="application/json", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.display_number in text
    assert stage2["online"].surname in text
    client.post(url, {"language": "ru"}, content_type="application/json", **headers)
    prints = list(CertificatePrint.objects.filter(certificate=certificate).order_by("pk"))
    assert [(p.language, p.is_duplicate) for p in prints] == [("ru", False), ("ru", True)]


def test_another_institution_cannot_see_or_print_a_certificate(client, stage2, institution_b):
    certificate = stage2["certificate"]
    headers = _auth(institution_b)
    assert client.get(CERTIFICATES, **headers).json()["count"] == 0
    assert client.get(f"{CERTIFICATES}{certificate.pk}/", **headers).status_code == 404
    response = client.post(
        f"{CERTIFICATES}{certificate.pk}/pdf/", {}, content_type="application/json", **headers
    )
    assert response.status_code == 404
    assert not CertificatePrint.objects.exists()


def test_commission_gets_no_certificate_register(client, stage2):
    client.force_login(CommissionUserFactory())
    response = client.get(CERTIFICATES)
    assert response.status_code == 403
    assert stage2["online"].surname not in response.content.decode()


def _queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_outcomes_and_register_cost_the_same_for_more_people(client, officer_a, institution_a):
    respondent_list = accepted_list(institution_a)
    headers = _auth(institution_a)
    first = people(respondent_list, 2)
    for person in first:
        enumerate_online(officer_a, person)
        services.certificate_issue(actor=officer_a, respondent=person)
    client.get(OUTCOMES, **headers)  # the token's first use is recorded once
    few = (_queries(client, OUTCOMES, headers), _queries(client, CERTIFICATES, headers))
    for person in people(respondent_list, 6):
        enumerate_online(officer_a, person)
        services.certificate_issue(actor=officer_a, respondent=person)
    assert (_queries(client, OUTCOMES, headers), _queries(client, CERTIFICATES, headers)) == few
