"""Participation certificates: only for the enumerated, gap-free numbers, PDFs, duplicates."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from enumeration import services
from enumeration.models import Certificate, CertificatePrint
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import DepartmentUserFactory, InstitutionFactory


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_certificate_is_refused_for_a_pending_person(officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    with pytest.raises(ValidationError) as error:
        services.certificate_issue(actor=officer_a, respondent=person)
    assert error.value.code == "not_enumerated"
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_certificate_is_refused_after_not_enumerated(officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=person.pk,
            status="not_enumerated",
            reason="refused",
            enumerated_on=person.respondent_list.campaign.tablet_start,
        ),
    )
    with pytest.raises(ValidationError):
        services.certificate_issue(actor=officer_a, respondent=person)


@pytest.mark.django_db
def test_numbers_follow_each_other_and_a_second_issue_returns_the_same(officer_a, institution_a):
    first, second = people(accepted_list(institution_a), 2)
    for person in (first, second):
        enumerate_online(officer_a, person)
    one = services.certificate_issue(actor=officer_a, respondent=first)
    two = services.certificate_issue(actor=officer_a, respondent=second)
    again = services.certificate_issue(actor=officer_a, respondent=first)
    assert (one.number, two.number, again.pk) == (1, 2, one.pk)


@pytest.mark.django_db
def test_outcome_cannot_be_withdrawn_once_a_certificate_is_issued(officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    services.certificate_issue(actor=officer_a, respondent=person)
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=services.EnumerationUpdate(respondent_id=person.pk, status="pending"),
        )
    assert {e.code for e in error.value.error_list} == {"certificate_issued"}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issuers_get_unique_gap_free_numbers():
    department = DepartmentUserFactory()
    institution = InstitutionFactory()
    persons = people(accepted_list(institution), 6)
    for person in persons:
        enumerate_online(department, person)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def issue(chunk):
        try:
            barrier.wait(timeout=10)
            for person in chunk:
                services.certificate_issue(actor=department, respondent=person)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issue, args=(persons[0::2],)),
        threading.Thread(target=issue, args=(persons[1::2],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "duplicate"),
    [("kk", "анықтама", "ТЕЛНҰСҚА"), ("ru", "Справка", "ДУБЛИКАТ")],
)
def test_pdf_in_both_languages_names_the_person_and_the_number(
    client_for, officer_a, institution_a, language, title, duplicate
):
    person = people(accepted_list(institution_a), 1, surname="Әбдіқадырова", given_name="Гүлнұр")[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    client = client_for(officer_a)
    url = reverse("enumeration:certificate_pdf", args=[certificate.pk])
    response = client.post(url, {"language": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "000001" in text
    assert "Әбдіқадырова Гүлнұр" in text
    assert title.lower() in text.lower()
    assert duplicate not in text.upper()
    reprint = _pdf_text(client.post(url, {"language": language}).content)
    assert duplicate in reprint.upper()
    assert list(CertificatePrint.objects.values_list("is_duplicate", flat=True)) == [False, True]


@pytest.mark.django_db
def test_officer_cannot_print_or_see_another_institutions_certificate(
    client_for, officer_a, officer_b, institution_a
):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    client = client_for(officer_b)
    url = reverse("enumeration:certificate_pdf", args=[certificate.pk])
    assert client.post(url, {"language": "kk"}).status_code == 404
    register = client.get(reverse("enumeration:certificates"))
    assert register.status_code == 200
    assert person.surname not in register.content.decode()
    issue = reverse("enumeration:certificate_issue", args=[person.pk])
    assert client.post(issue).status_code == 404


@pytest.mark.django_db
def test_register_lists_certificates_and_downloads(client_for, department_user, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(department_user, person)
    client = client_for(department_user)
    response = client.post(reverse("enumeration:certificate_issue", args=[person.pk]))
    assert response.status_code == 302
    page = client.get(reverse("enumeration:certificates"))
    assert person.surname in page.content.decode()
    download = client.post(reverse("enumeration:certificates"))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "issuer", "mark"),
    [
        ("kk", "Ұлттық статистика бюросының Ақмола облысы бойынша департаменті", "М.О."),
        ("ru", "Департамент Бюро национальной статистики", "М.П."),
    ],
)
def test_certificate_names_issuer_and_signatory_but_never_the_institution(
    client_for, officer_a, institution_a, language, issuer, mark
):
    officer_a.first_name, officer_a.last_name = "Айгүл", "Серікова"
    officer_a.position_kk, officer_a.position_ru = "Бас маман", "Главный специалист"
    officer_a.save()
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    url = reverse("enumeration:certificate_pdf", args=[certificate.pk])
    text = " ".join(
        _pdf_text(client_for(officer_a).post(url, {"language": language}).content).split()
    )
    assert issuer.upper() in text.upper()  # printed in capitals, as a letterhead
    assert "Айгүл Серікова" in text
    assert {"kk": "Бас маман", "ru": "Главный специалист"}[language] in text
    assert mark in text
    # Neither the institution nor its type (a TB clinic, a crisis centre) is on the paper.
    kind = institution_a.type
    for revealing in (institution_a.name_kk, institution_a.name_ru, kind.name_kk, kind.name_ru):
        assert revealing not in text


@pytest.mark.django_db
def test_printing_in_the_second_language_is_not_a_duplicate(client_for, officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    enumerate_online(officer_a, person)
    certificate = services.certificate_issue(actor=officer_a, respondent=person)
    client = client_for(officer_a)
    url = reverse("enumeration:certificate_pdf", args=[certificate.pk])
    kazakh = _pdf_text(client.post(url, {"language": "kk"}).content)
    russian = _pdf_text(client.post(url, {"language": "ru"}).content)
    assert "ТЕЛНҰСҚА" not in kazakh.upper()
    assert "ДУБЛИКАТ" not in russian.upper()
    again = _pdf_text(client.post(url, {"language": "ru"}).content)
    assert "ДУБЛИКАТ" in again.upper()
    printed = CertificatePrint.objects.order_by("pk").values_list("language", "is_duplicate")
    assert list(printed) == [("kk", False), ("ru", False), ("ru", True)]
