"""The stage-1 list as a paper to sign (kk and ru), its signed scan filed back with the
list, and the printable stage-2 worklist: what the PDF says, read back from its text, and
who may print or file what."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from institutions.models import Campaign
from respondents.choices import Citizenship, ListStatus, ResidenceStatus
from respondents.models import SignedListScan
from respondents.row_schema import PRINTED_FIELDS
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import ResponsibleStaffFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory, bulk_people

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

HEADINGS = {
    "kk": {"title": "РЕСПОНДЕНТТЕР ТІЗІМІ", "head": "Мекеме басшысы", "surname": "Тегі"},
    "ru": {"title": "СПИСОК РЕСПОНДЕНТОВ", "head": "Руководитель учреждения", "surname": "Фамилия"},
}
PAGE_OF = {"kk": r"(\d+) беттің (\d+)-беті", "ru": r"Страница (\d+) из (\d+)"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Line breaks fall anywhere in a table cell: compare on single spaces.
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _numbered_to_the_last(pages: list[str], language: str) -> bool:
    """Every page says "page n of total", in order, and total is the number of pages."""
    found = [re.search(PAGE_OF[language], page) for page in pages]
    if language == "kk":  # "<total> беттің <n>-беті"
        numbers = [(int(m[2]), int(m[1])) for m in found if m]
    else:
        numbers = [(int(m[1]), int(m[2])) for m in found if m]
    total = len(pages)
    return numbers == [(n, total) for n in range(1, total + 1)]


@pytest.fixture
def mixed_list(institution_a, officer_a):
    """Institution A's submitted list: three citizens, two foreigners, one stateless person,
    and an arrival after the reference date (not on the paper)."""
    institution_a.head_name = "Серік Әбенов"
    institution_a.head_position = "Директор"
    institution_a.save()
    ResponsibleStaffFactory(
        institution=institution_a,
        full_name="Гүлнар Оспанова",
        position="Әлеуметтік қызметкер",
        position_ru="Социальный работник",
        user=officer_a,
    )
    respondent_list = RespondentListFactory(institution=institution_a, status=ListStatus.SUBMITTED)
    people_ = [
        RespondentFactory(respondent_list=respondent_list, surname=surname, given_name=given)
        for surname, given in (("Қасымов", "Нұрлан"), ("Әлиева", "Сәуле"), ("Иванов", "Пётр"))
    ]
    people_ += [
        RespondentFactory(
            respondent_list=respondent_list,
            surname=surname,
            given_name=given,
            citizenship=Citizenship.FOREIGN,
            citizenship_country="Өзбекстан",
            iin="",
            residence_status=ResidenceStatus.TEMPORARILY_PRESENT,
        )
        for surname, given in (("Каримов", "Бахтиёр"), ("Юсупова", "Дилноза"))
    ]
    people_.append(
        RespondentFactory(
            respondent_list=respondent_list,
            surname="Безгражданов",
            given_name="Олег",
            citizenship=Citizenship.STATELESS,
            iin="",
            residence_status=ResidenceStatus.TEMPORARILY_ABSENT,
        )
    )
    RespondentFactory(
        respondent_list=respondent_list,
        surname="Кейінкелген",
        given_name="Арман",
        arrived_on=dt.date(2021, 7, 1),
    )
    return respondent_list, people_


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_list_paper_names_every_person_and_the_totals(client_for, officer_a, mixed_list, language):
    respondent_list, listed = mixed_list
    response = client_for(officer_a).get(
        reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": language}
    )
    text = " ".join(_pages(response))
    institution = respondent_list.institution
    for key, heading in HEADINGS[language].items():
        assert heading in text, key
    assert getattr(institution, f"name_{language}") in text
    assert institution.bin in text
    assert getattr(institution.district, f"name_{language}") in text
    reference_date = Campaign.objects.get(is_active=True).list_reference_date
    assert f"{reference_date:%d.%m.%Y}" in text
    for person in listed:
        assert person.surname in text
        assert person.given_name in text
        assert f"{person.birth_date:%d.%m.%Y}" in text
    assert listed[0].iin in text
    assert "Кейінкелген" not in text  # arrived after the reference date
    with translation.override(language):
        expected = [
            (Citizenship.CITIZEN.label, 3),
            (Citizenship.FOREIGN.label, 2),
            (Citizenship.STATELESS.label, 1),
            (ResidenceStatus.PERMANENT.label, 3),
            (ResidenceStatus.TEMPORARILY_PRESENT.label, 2),
            (ResidenceStatus.TEMPORARILY_ABSENT.label, 1),
        ]
        totals = text[text.rindex(str(translation.gettext("By citizenship"))) :]
        for label, count in expected:
            assert f"{label} {count}" in totals, label
        assert f"{translation.gettext('People on the list')} 6" in text
    # Signature lines with the head's and the responsible staff member's names.
    assert "Серік Әбенов" in text
    assert "Гүлнар Оспанова" in text
    assert {"kk": "Әлеуметтік қызметкер", "ru": "Социальный работник"}[language] in text
    assert _numbered_to_the_last(_pages(response), language)


def test_list_paper_leaves_blank_lines_without_a_head_or_staff_record(
    client_for, department_user, institution_a
):
    respondent_list = RespondentListFactory(institution=institution_a)
    RespondentFactory(respondent_list=respondent_list, surname="Жалғыз")
    text = " ".join(
        _pages(
            client_for(department_user).get(
                reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": "ru"}
            )
        )
    )
    assert "Жалғыз" in text
    assert "Руководитель учреждения" in text
    assert "Ответственный работник" in text


def test_long_list_runs_over_pages_with_the_header_on_each(client_for, officer_a, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    bulk_people(respondent_list, 300)
    pages = _pages(
        client_for(officer_a).get(
            reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": "kk"}
        )
    )
    assert len(pages) >= 5
    assert all("Тегі" in page and "Азаматтығы" in page for page in pages[:-1])
    text = " ".join(pages)
    assert all(text.count(f"Адамов{n} ") == 1 for n in range(300))
    assert "Тізімдегі адамдар 300" in text
    assert _numbered_to_the_last(pages, "kk")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_two_page_list_repeats_every_header_and_prints_each_person_once(
    client_for, officer_a, institution_a, language
):
    respondent_list = RespondentListFactory(institution=institution_a)
    bulk_people(respondent_list, 40)
    pages = _pages(
        client_for(officer_a).get(
            reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": language}
        )
    )
    assert len(pages) >= 2
    with translation.override(language):
        headers = ["№", *(str(field.label) for field in PRINTED_FIELDS)]
    people_pages = [page for page in pages if "Адамов" in page]
    assert len(people_pages) >= 2
    for page in people_pages:
        missing = [header for header in headers if header not in page]
        assert not missing, missing
    # Each person on exactly one page, once ("Адамов1 " is not found in "Адамов10 ").
    for n in range(40):
        assert sum(page.count(f"Адамов{n} ") for page in pages) == 1, n
    assert _numbered_to_the_last(pages, language)


def test_names_and_labels_fit_their_columns_and_a_longer_word_wraps_inside_its_cell(
    client_for, officer_a, institution_a
):
    respondent_list = RespondentListFactory(institution=institution_a)
    RespondentFactory(
        respondent_list=respondent_list,
        surname="Константинопольская-Сәрсенбаева",
        given_name="Александра",
        patronymic="Константиновна",
        residence_status=ResidenceStatus.PERMANENT,
    )
    RespondentFactory(
        respondent_list=respondent_list,
        surname="Абдурахмангаджиевакызылординская",
        given_name="Ұлжан",
        citizenship=Citizenship.STATELESS,
        iin="",
    )
    text = " ".join(
        _pages(
            client_for(officer_a).get(
                reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": "ru"}
            )
        )
    )
    # The usual values are never broken inside a word...
    for value in ("Александра", "Константиновна", "Гражданин Казахстана", "Постоянно проживающий"):
        assert value in text, value
    # ...and one wider than its column breaks there, whole, with nothing of it lost.
    assert "Абдурахмангаджиевакызылординская" in text.replace(" ", "")
    assert "Константинопольская-Сәрсенбаева" in text.replace(" ", "")


def test_without_a_choice_the_paper_is_in_the_readers_language(client_for, officer_a, mixed_list):
    respondent_list, _people = mixed_list
    officer_a.language = "ru"
    officer_a.save()
    url = reverse("respondents:list_pdf", args=[respondent_list.pk])
    assert HEADINGS["ru"]["title"] in " ".join(_pages(client_for(officer_a).get(url)))


def test_printing_the_list_is_audited_without_names(client_for, officer_a, mixed_list):
    respondent_list, _people = mixed_list
    client_for(officer_a).get(
        reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": "ru"}
    )
    event = AuditEvent.objects.get(action=AuditAction.PRINT)
    assert event.object_type == "respondents.respondentlist"
    assert event.object_id == str(respondent_list.pk)
    assert event.record_count == 6
    assert event.institution_id == respondent_list.institution_id
    assert event.extra == {"language": "ru"}


def test_the_list_paper_is_for_its_institution_and_the_department_only(
    client_for, officer_b, commission_user, department_user, mixed_list
):
    respondent_list, _people = mixed_list
    url = reverse("respondents:list_pdf", args=[respondent_list.pk])
    assert client_for(officer_b).get(url).status_code == 404
    assert client_for(commission_user).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()
    assert client_for(department_user).get(url)["Content-Type"] == "application/pdf"


def test_the_list_page_links_the_paper_in_both_languages(client_for, officer_a, mixed_list):
    respondent_list, _people = mixed_list
    page = client_for(officer_a).get(reverse("respondents:list_detail", args=[respondent_list.pk]))
    url = reverse("respondents:list_pdf", args=[respondent_list.pk])
    assert f'href="{url}?lang=kk"' in page.content.decode()
    assert f'href="{url}?lang=ru"' in page.content.decode()


# --- the signed scan ---------------------------------------------------------------


def _attach(client, respondent_list, name: str, content: bytes, **headers):
    return client.post(
        reverse("respondents:signed_scans", args=[respondent_list.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        **headers,
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_officer_attaches_the_signed_scan_and_the_department_downloads_it(
    client_for, officer_a, department_user, mixed_list, settings
):
    respondent_list, _people = mixed_list
    response = _attach(client_for(officer_a), respondent_list, "подписанный список.pdf", PDF_BYTES)
    assert response.status_code == 302
    scan = SignedListScan.objects.get(respondent_list=respondent_list)
    assert scan.content_type == "application/pdf"
    assert scan.uploaded_by == officer_a
    assert "список" not in scan.file.name  # stored under a generated name
    page = client_for(department_user).get(
        reverse("respondents:list_detail", args=[respondent_list.pk])
    )
    download = reverse("respondents:signed_scan_download", args=[respondent_list.pk, scan.pk])
    assert download in page.content.decode()
    response = client_for(department_user).get(download)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="respondents.signedlistscan", object_id=str(scan.pk)
    ).exists()


def test_a_new_scan_replaces_the_shown_one_and_keeps_the_earlier(
    client_for, officer_a, department_user, mixed_list
):
    respondent_list, _people = mixed_list
    _attach(client_for(officer_a), respondent_list, "first.pdf", PDF_BYTES)
    _attach(client_for(department_user), respondent_list, "second.png", PNG_BYTES)
    first, second = SignedListScan.objects.order_by("pk")
    assert [first.content_type, second.content_type] == ["application/pdf", "image/png"]
    page = client_for(officer_a).get(reverse("respondents:list_detail", args=[respondent_list.pk]))
    shown = reverse("respondents:signed_scan_download", args=[respondent_list.pk, second.pk])
    assert shown in page.content.decode()
    history = client_for(officer_a).get(
        reverse("respondents:signed_scans", args=[respondent_list.pk])
    )
    earlier = reverse("respondents:signed_scan_download", args=[respondent_list.pk, first.pk])
    assert earlier in history.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="respondents.signedlistscan"
        ).count()
        == 2
    )


def test_a_file_that_is_no_pdf_or_image_is_refused_in_the_users_language_and_not_kept(
    client_for, officer_a, mixed_list, settings
):
    respondent_list, _people = mixed_list
    officer_a.language = "ru"
    officer_a.save()
    response = _attach(client_for(officer_a), respondent_list, "scan.pdf", b"name,iin\nx,1\n")
    assert response.status_code == 200
    assert "Файлы этого типа здесь не принимаются" in response.content.decode()
    assert not SignedListScan.objects.exists()
    assert _stored_files(settings) == []


def test_no_scan_is_attached_before_the_list_is_submitted(
    client_for, officer_a, institution_a, settings
):
    respondent_list = RespondentListFactory(institution=institution_a, status=ListStatus.DRAFT)
    officer_a.language = "en"
    officer_a.save()
    response = _attach(client_for(officer_a), respondent_list, "scan.pdf", PDF_BYTES)
    assert "This cannot be done while the list is “Draft”." in response.content.decode()
    assert not SignedListScan.objects.exists()
    assert _stored_files(settings) == []


def test_another_institution_and_the_commission_cannot_file_or_read_a_scan(
    client_for, officer_a, officer_b, commission_user, mixed_list
):
    respondent_list, _people = mixed_list
    _attach(client_for(officer_a), respondent_list, "scan.pdf", PDF_BYTES)
    scan = SignedListScan.objects.get()
    urls = [
        reverse("respondents:signed_scans", args=[respondent_list.pk]),
        reverse("respondents:signed_scan_download", args=[respondent_list.pk, scan.pk]),
    ]
    for url in urls:
        assert client_for(officer_b).get(url).status_code == 404
        assert client_for(commission_user).get(url).status_code == 403
    assert _attach(client_for(officer_b), respondent_list, "x.pdf", PDF_BYTES).status_code == 404
    assert SignedListScan.objects.count() == 1


def test_a_scan_is_found_only_through_its_own_list(client_for, officer_b, mixed_list, officer_a):
    respondent_list, _people = mixed_list
    _attach(client_for(officer_a), respondent_list, "scan.pdf", PDF_BYTES)
    scan = SignedListScan.objects.get()
    own_list = RespondentListFactory(institution=officer_b.institution, status=ListStatus.SUBMITTED)
    url = reverse("respondents:signed_scan_download", args=[own_list.pk, scan.pk])
    assert client_for(officer_b).get(url).status_code == 404


# --- the printable worklist ----------------------------------------------------------


def test_printable_worklist_names_people_with_their_outcome(client_for, officer_a, institution_a):
    respondent_list = accepted_list(institution_a)
    done, waiting = people(respondent_list, 2)
    enumerate_online(officer_a, done)
    response = client_for(officer_a).get(
        reverse("enumeration:worklist_pdf", args=[institution_a.pk]), {"lang": "ru"}
    )
    pages = _pages(response)
    text = " ".join(pages)
    assert "ЛИСТ ОБХОДА" in text
    assert institution_a.name_ru in text
    for person in (done, waiting):
        assert person.full_name in text
    assert "Переписан" in text
    assert "Онлайн, самостоятельно" in text
    assert "20.09.2021" in text
    assert "Ожидает" in text
    assert _numbered_to_the_last(pages, "ru")
    event = AuditEvent.objects.get(action=AuditAction.PRINT)
    assert event.record_count == 2
    assert event.institution_id == institution_a.pk


def test_printable_worklist_in_kazakh(client_for, department_user, institution_a):
    people(accepted_list(institution_a), 1)
    text = " ".join(
        _pages(
            client_for(department_user).get(
                reverse("enumeration:worklist_pdf", args=[institution_a.pk]), {"lang": "kk"}
            )
        )
    )
    assert "АРАЛАУ ПАРАҒЫ" in text
    assert institution_a.name_kk in text
    page = client_for(department_user).get(
        reverse("enumeration:worklist_of", args=[institution_a.pk])
    )
    url = reverse("enumeration:worklist_pdf", args=[institution_a.pk])
    assert f'href="{url}?lang=kk"' in page.content.decode()


def test_printable_worklist_is_scoped_like_the_worklist(
    client_for, officer_b, commission_user, institution_a
):
    people(accepted_list(institution_a), 1)
    url = reverse("enumeration:worklist_pdf", args=[institution_a.pk])
    assert client_for(officer_b).get(url).status_code == 404
    assert client_for(commission_user).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()
