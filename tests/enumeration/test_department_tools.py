"""The Department's tools: the person search, certificates for a selection, one PDF of many."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from enumeration import services
from enumeration.models import Certificate, CertificatePrint
from institutions.models import District, Region
from respondents import services as respondent_services
from respondents.choices import DepartureReason, ListStatus
from respondents.models import ListTransition
from respondents.search import PersonQuery, name_key, person_search
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import DepartmentUserFactory, InstitutionFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory

# The log capture of every logger, shared with the security tests.
from tests.security.test_personal_data_in_logs import _trace, every_record  # noqa: F401

BORN = dt.date(1961, 4, 12)
SEARCH = "enumeration:person_search"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _other_region_department():
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    return DepartmentUserFactory(username="other_region_dept", region=elsewhere)


def _department_of_the_region():
    return DepartmentUserFactory(username="akmola_dept", region=District.objects.first().region)


@pytest.fixture
def person(institution_a):
    """Ёлкина Айгүл on institution A's accepted list, arrived after the reference date."""
    return people(
        accepted_list(institution_a),
        1,
        surname="Ёлкина",
        given_name="Айгүл",
        birth_date=BORN,
        iin="",
        arrived_on=dt.date(2021, 7, 1),
    )[0]


# --- the search ---------------------------------------------------------------------


def test_name_key_folds_case_yo_and_latin_look_alikes():
    assert name_key("ЁЛКИНА") == name_key("елкина")
    # Latin a, o, p, c typed inside Cyrillic words.
    assert name_key("Тoкaев") == name_key("Токаев")
    assert name_key("  Жұмабаев   Серік ") == "жұмабаев серік"


@pytest.mark.django_db
def test_search_by_name_and_birth_date_finds_the_person_however_typed(department_user, person):
    for surname, given in [("ЕЛКИНА", ""), ("елкина", "айг"), ("Eлкина", "Айгүл")]:
        query = PersonQuery(surname=surname, given_name=given, birth_date=BORN)
        assert person_search(user=department_user, query=query) == [person]
    assert (
        person_search(
            user=department_user,
            query=PersonQuery(surname="Ёлкина", birth_date=BORN.replace(day=13)),
        )
        == []
    )
    assert (
        person_search(
            user=department_user,
            query=PersonQuery(surname="Ёлкина", given_name="Мұрат", birth_date=BORN),
        )
        == []
    )


@pytest.mark.django_db
def test_search_page_shows_the_list_history_outcome_and_certificate(
    client_en, department_user, officer_a, person
):
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    respondent_services.respondent_record_departure(
        actor=officer_a,
        respondent=person,
        departed_on=dt.date(2021, 10, 20),
        reason=DepartureReason.values[0],
        comment="Көшті",
    )
    ListTransition.objects.create(
        respondent_list=person.respondent_list,
        actor=department_user,
        from_status=ListStatus.SUBMITTED,
        to_status=ListStatus.ACCEPTED,
    )
    client = client_en(department_user)
    response = client.post(reverse(SEARCH), {"surname": "елкина", "birth_date": BORN.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ёлкина Айгүл" in page
    assert "12.04.1961" in page
    assert "Учреждение А" in page or "А мекемесі" in page
    assert certificate.display_number in page
    assert "1 person found" in page
    # The history: the list's decision and the person's departure.
    assert "List: Submitted → Accepted" in page
    assert "20.10.2021 — Departure" in page


@pytest.mark.django_db
def test_search_by_iin(client_en, department_user, institution_a):
    row = people(accepted_list(institution_a), 1, surname="Сапаров")[0]
    response = client_en(department_user).post(reverse(SEARCH), {"iin": row.iin})
    assert "Сапаров" in response.content.decode()


@pytest.mark.django_db
def test_search_is_audited_without_the_term_and_never_in_a_url(client_en, department_user, person):
    client = client_en(department_user)
    response = client.post(
        reverse(SEARCH), {"surname": "Ёлкина", "given_name": "Айг", "birth_date": "12.04.1961"}
    )
    assert response.status_code == 200  # answered at once: no redirect carries the term
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, actor=department_user)
    assert event.object_type == "respondents.respondent"
    assert event.record_count == 1
    assert event.extra["filters"] == ["birth_date", "given_name", "surname"]
    assert "?" not in event.route
    stored = " ".join(
        str(value) for value in AuditEvent.objects.values_list("route", "extra", "object_id")
    )
    for term in ("Ёлкина", "Айг", "1961"):
        assert term not in stored


@pytest.mark.django_db
def test_a_query_string_searches_nothing(client_en, department_user, person):
    response = client_en(department_user).get(
        reverse(SEARCH), {"surname": "Ёлкина", "birth_date": BORN.isoformat()}
    )
    assert response.status_code == 200
    assert "Ёлкина" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


@pytest.mark.django_db
def test_search_without_criteria_says_what_is_needed(client_en, department_user):
    response = client_en(department_user).post(reverse(SEARCH), {"surname": "Ёлкина"})
    assert "Enter an IIN, or a surname with the birth date." in response.content.decode()
    bad = client_en(department_user).post(reverse(SEARCH), {"iin": "12345"})
    assert "An IIN is 12 digits." in bad.content.decode()


@pytest.mark.django_db
def test_another_regions_department_finds_nobody(client_en, person):
    response = client_en(_other_region_department()).post(
        reverse(SEARCH), {"surname": "Ёлкина", "birth_date": BORN.isoformat()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ёлкина Айгүл" not in page  # the form shows back what was typed, nothing more
    assert "0 people found" in page


@pytest.mark.django_db
def test_the_regions_own_department_user_finds_the_person(client_en, person):
    response = client_en(_department_of_the_region()).post(
        reverse(SEARCH), {"surname": "Ёлкина", "birth_date": BORN.isoformat()}
    )
    assert "Ёлкина Айгүл" in response.content.decode()


@pytest.mark.django_db
def test_officer_and_commission_cannot_search(client_en, officer_a, commission_user, person):
    data = {"surname": "Ёлкина", "birth_date": BORN.isoformat()}
    for user in (officer_a, commission_user):
        response = client_en(user).post(reverse(SEARCH), data)
        assert response.status_code == 403
        assert "Ёлкина" not in response.content.decode()


@pytest.mark.django_db
def test_the_department_navigation_links_the_search(client_en, department_user, commission_user):
    url = reverse(SEARCH)
    assert url in client_en(department_user).get(reverse("respondents:board")).content.decode()
    assert url not in client_en(commission_user).get(reverse("respondents:board")).content.decode()


@pytest.mark.django_db
def test_search_shows_every_campaigns_row_of_the_person(client_en, department_user, person):
    # A second list (another institution) names the same person: both rows are shown.
    other = RespondentListFactory(institution=InstitutionFactory(), status=ListStatus.DRAFT)
    RespondentFactory(respondent_list=other, surname="Елкина", given_name="Айгүл", birth_date=BORN)
    response = client_en(department_user).post(
        reverse(SEARCH), {"surname": "ёлкина", "birth_date": BORN.isoformat()}
    )
    assert "2 people found" in response.content.decode()


# --- certificates for a selection ----------------------------------------------------


def _bulk_url(institution):
    return reverse("enumeration:certificates_bulk_issue", args=[institution.pk])


@pytest.mark.django_db
def test_bulk_issue_then_one_pdf_names_every_person_and_number(
    client_en, department_user, officer_a, institution_a
):
    persons = people(accepted_list(institution_a), 3, surname="Қасымова")
    names = ["Әлия", "Бақыт", "Гүлнар"]
    for person, name in zip(persons, names, strict=True):
        person.given_name = name
        person.save()
        enumerate_online(officer_a, person)
    client = client_en(department_user)
    response = client.post(_bulk_url(institution_a), {"selected": [p.pk for p in persons]})
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2, 3]
    for number, name in zip(["000001", "000002", "000003"], names, strict=True):
        assert number in page
        assert f"Қасымова {name}" in page
    creates = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="enumeration.certificate"
    )
    assert creates.count() == 3
    ids = list(Certificate.objects.values_list("pk", flat=True))
    pdf = client.post(
        reverse("enumeration:certificates_bulk_pdf"), {"certificate": ids, "language": "ru"}
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 3
    text = _pdf_text(pdf.content)
    for number, name in zip(["000001", "000002", "000003"], names, strict=True):
        assert number in text
        assert f"Қасымова {name}" in text
    assert "ДУБЛИКАТ" not in text.upper()
    prints = AuditEvent.objects.filter(
        action=AuditAction.PRINT, object_type="enumeration.certificate"
    )
    assert prints.count() == 3
    again = _pdf_text(
        client.post(
            reverse("enumeration:certificates_bulk_pdf"), {"certificate": ids, "language": "ru"}
        ).content
    )
    assert again.upper().count("ДУБЛИКАТ") == 3
    assert CertificatePrint.objects.filter(is_duplicate=True).count() == 3


@pytest.mark.django_db
def test_bulk_issue_refuses_all_and_names_the_ineligible(
    client_en, department_user, officer_a, institution_a
):
    done, waiting, refused = people(accepted_list(institution_a), 3)
    enumerate_online(officer_a, done)
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=refused.pk,
            status="not_enumerated",
            reason="refused",
            enumerated_on=refused.respondent_list.campaign.tablet_start,
        ),
    )
    response = client_en(department_user).post(
        _bulk_url(institution_a), {"selected": [done.pk, waiting.pk, refused.pk]}
    )
    page = response.content.decode()
    assert f"{waiting.full_name}, born {waiting.birth_date:%d.%m.%Y}: not enumerated yet" in page
    assert (
        f"{refused.full_name}, born {refused.birth_date:%d.%m.%Y}: recorded as not enumerated"
        in (page)
    )
    assert f"{done.full_name}, born" not in page
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


@pytest.mark.django_db
def test_all_filtered_issues_for_everyone_the_filter_shows(
    client_en, department_user, officer_a, institution_a
):
    persons = people(accepted_list(institution_a), 4)
    for person in persons[:3]:
        enumerate_online(officer_a, person)
    # The filter (a category in the address) leaves out the pending fourth person.
    url = f"{_bulk_url(institution_a)}?status=enumerated"
    response = client_en(department_user).post(url, {"all_filtered": "1"})
    assert response.status_code == 200
    assert set(Certificate.objects.values_list("respondent_id", flat=True)) == {
        p.pk for p in persons[:3]
    }


@pytest.mark.django_db
def test_people_who_already_have_a_certificate_keep_it(
    client_en, department_user, officer_a, institution_a
):
    first, second = people(accepted_list(institution_a), 2)
    for person in (first, second):
        enumerate_online(officer_a, person)
    kept = services.certificate_issue(actor=officer_a, respondent=first)
    client_en(department_user).post(_bulk_url(institution_a), {"selected": [first.pk, second.pk]})
    assert Certificate.objects.get(respondent=first).pk == kept.pk
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_another_regions_department_touches_nothing(client_en, officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    outsider = client_en(_other_region_department())
    response = outsider.post(_bulk_url(institution_a), {"selected": [person.pk]})
    assert response.status_code == 404
    assert not Certificate.objects.exists()
    issued = services.certificate_issue(actor=officer_a, respondent=person)
    pdf = outsider.post(
        reverse("enumeration:certificates_bulk_pdf"), {"certificate": [issued.pk], "language": "kk"}
    )
    assert pdf.status_code == 404
    assert not CertificatePrint.objects.exists()


@pytest.mark.django_db
def test_a_person_of_another_institution_in_the_selection_refuses_the_lot(
    client_en, department_user, officer_a, institution_a, institution_b
):
    mine = people(accepted_list(institution_a), 1)[0]
    theirs = people(accepted_list(institution_b), 1)[0]
    enumerate_online(officer_a, mine)
    response = client_en(department_user).post(
        _bulk_url(institution_a), {"selected": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 404
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_officer_and_commission_cannot_issue_or_print_in_bulk(
    client_en, officer_a, commission_user, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    for user in (officer_a, commission_user):
        client = client_en(user)
        assert client.post(_bulk_url(institution_a), {"selected": [person.pk]}).status_code == 403
        pdf = client.post(
            reverse("enumeration:certificates_bulk_pdf"),
            {"certificate": [certificate.pk], "language": "kk"},
        )
        assert pdf.status_code == 403
    assert Certificate.objects.count() == 1
    assert not CertificatePrint.objects.exists()


@pytest.mark.django_db
def test_worklist_and_register_offer_the_bulk_tools_to_the_department_only(
    client_en, department_user, officer_a, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    services.certificate_issue(actor=officer_a, respondent=person)
    worklist = reverse("enumeration:worklist_of", args=[institution_a.pk])
    bulk = _bulk_url(institution_a)
    register = reverse("enumeration:certificates")
    printing = reverse("enumeration:certificates_bulk_pdf")
    assert bulk in client_en(department_user).get(worklist).content.decode()
    assert printing in client_en(department_user).get(register).content.decode()
    assert bulk not in client_en(officer_a).get(worklist).content.decode()
    assert printing not in client_en(officer_a).get(register).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "found"), [("kk", "1 адам табылды"), ("ru", "Найден 1 человек")]
)
def test_search_result_reads_in_kazakh_and_russian(
    client_for, department_user, person, language, found
):
    department_user.language = language
    department_user.save(update_fields=["language"])
    response = client_for(department_user).post(
        reverse(SEARCH), {"surname": "Ёлкина", "birth_date": BORN.isoformat()}
    )
    assert found in response.content.decode()


@pytest.mark.django_db
def test_search_costs_the_same_queries_for_one_person_or_many(
    client_en, department_user, officer_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_en(department_user)

    def queries_for(count: int) -> int:
        for _n in range(count):
            row = people(accepted_list(InstitutionFactory()), 1, surname="Омаров", birth_date=BORN)[
                0
            ]
            enumerate_online(department_user, row)
            services.certificate_issue(actor=department_user, respondent=row)
        data = {"surname": "Омаров", "birth_date": BORN.isoformat()}
        with CaptureQueriesContext(connection) as captured:
            client.post(reverse(SEARCH), data)
        return len(captured)

    assert queries_for(1) == queries_for(4)


@pytest.mark.django_db
def test_a_selection_over_the_limit_is_refused_whole(
    client_en, department_user, officer_a, institution_a, monkeypatch
):
    from enumeration import certificate_services

    monkeypatch.setattr(certificate_services, "MAX_BULK_CERTIFICATES", 2)
    persons = people(accepted_list(institution_a), 3)
    for person in persons:
        enumerate_online(officer_a, person)
    response = client_en(department_user).post(
        _bulk_url(institution_a), {"selected": [p.pk for p in persons]}
    )
    assert "At most 2 certificates at once; narrow the selection." in response.content.decode()
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_search_by_iin_leaves_no_trace_in_logs_or_addresses(
    client_en,
    department_user,
    institution_a,
    every_record,  # noqa: F811  # the shared fixture imported above
):
    row = people(accepted_list(institution_a), 1, surname="Байжанов")[0]
    response = client_en(department_user).post(reverse(SEARCH), {"iin": row.iin}, follow=True)
    assert "Байжанов" in response.content.decode()
    assert response.redirect_chain == []
    assert row.iin not in response.request["PATH_INFO"]
    assert not _trace(every_record.records, row.iin, "Байжанов")
