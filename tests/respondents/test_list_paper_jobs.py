"""A large list's paper is rendered by a worker: the print button starts a job, the page
says how it stands, and the stored file is downloaded (audited as a print) while it is
still the list as it is now. Tasks run in-process here (CELERY_TASK_ALWAYS_EAGER, as on
the embedded default); ``test_list_paper_worker.py`` runs one on a real worker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from census_coord import clock
from institutions.models import Region
from respondents import list_paper
from respondents.list_paper_jobs import list_paper_job_run
from respondents.models import ListPaperJob, PaperState
from tests.factories import DepartmentUserFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory, bulk_people

pytestmark = pytest.mark.django_db

PEOPLE = 8


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIST_PAPER_BACKGROUND_ROWS = 5


@pytest.fixture
def large_list(institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    bulk_people(respondent_list, PEOPLE)
    return respondent_list


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _print_page(client, respondent_list, language: str = "ru"):
    return client.get(
        reverse("respondents:list_pdf", args=[respondent_list.pk]), {"lang": language}
    )


def _prepare(client, respondent_list, capture, language: str = "ru"):
    with capture(execute=True):
        return client.post(
            reverse("respondents:list_pdf_prepare", args=[respondent_list.pk]), {"lang": language}
        )


def _download(client, respondent_list, language: str = "ru"):
    return client.get(
        reverse("respondents:list_pdf_file", args=[respondent_list.pk]), {"lang": language}
    )


def _stored(settings) -> list:
    root = settings.MEDIA_ROOT / "list-papers"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_list_up_to_the_threshold_is_printed_in_the_request(
    client_for, officer_a, institution_a, settings
):
    respondent_list = RespondentListFactory(institution=institution_a)
    bulk_people(respondent_list, 5)
    client = client_for(officer_a)
    page = client.get(
        reverse("respondents:list_detail", args=[respondent_list.pk])
    ).content.decode()
    url = reverse("respondents:list_pdf", args=[respondent_list.pk])
    assert f'href="{url}?lang=kk"' in page
    response = _print_page(client, respondent_list)
    assert response["Content-Type"] == "application/pdf"
    assert "Адамов4 " in _text(response.content)
    assert not ListPaperJob.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.PRINT).count() == 1


def test_later_arrivals_do_not_count_towards_the_threshold(
    client_for, officer_a, institution_a, settings
):
    """The paper is the list as of the reference date: five people on it and one who came
    later print in the request, and the list page offers the direct print, not a job."""
    respondent_list = RespondentListFactory(institution=institution_a)
    bulk_people(respondent_list, 5)
    RespondentFactory(respondent_list=respondent_list, arrived_on=dt.date(2021, 7, 1))
    client = client_for(officer_a)
    page = client.get(
        reverse("respondents:list_detail", args=[respondent_list.pk])
    ).content.decode()
    url = reverse("respondents:list_pdf", args=[respondent_list.pk])
    assert f'href="{url}?lang=kk"' in page
    assert reverse("respondents:list_pdf_prepare", args=[respondent_list.pk]) not in page
    response = _print_page(client, respondent_list)
    assert response["Content-Type"] == "application/pdf"
    assert not ListPaperJob.objects.exists()


def test_a_large_list_is_prepared_by_a_worker_and_downloaded_with_every_name(
    client_for, officer_a, large_list, settings, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    detail = client.get(reverse("respondents:list_detail", args=[large_list.pk])).content.decode()
    prepare_url = reverse("respondents:list_pdf_prepare", args=[large_list.pk])
    assert f'action="{prepare_url}"' in detail
    assert 'name="lang" value="kk"' in detail
    # Before any job the print page offers to prepare the paper; nothing is rendered.
    before = _print_page(client, large_list)
    assert before["Content-Type"].startswith("text/html")
    assert f'action="{prepare_url}"' in before.content.decode()

    response = _prepare(client, large_list, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('respondents:list_pdf', args=[large_list.pk])}?lang=ru"
    )
    job = ListPaperJob.objects.get()
    assert (job.state, job.rows_total, job.attempts, job.language) == (
        PaperState.SUCCEEDED,
        PEOPLE,
        1,
        "ru",
    )
    # Preparing hands nothing out: no print on the audit trail yet.
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()
    page = _print_page(client, large_list).content.decode()
    download_url = reverse("respondents:list_pdf_file", args=[large_list.pk])
    assert f'href="{download_url}?lang=ru"' in page

    download = _download(client, large_list)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert f"list-{large_list.institution.bin}-" in download["Content-Disposition"]
    text = _text(b"".join(download.streaming_content))
    assert "СПИСОК РЕСПОНДЕНТОВ" in text
    assert all(text.count(f"Адамов{n} ") == 1 for n in range(PEOPLE))
    # Audited exactly as the direct print, once per download.
    event = AuditEvent.objects.get(action=AuditAction.PRINT)
    assert event.object_type == "respondents.respondentlist"
    assert event.object_id == str(large_list.pk)
    assert (event.record_count, event.extra) == (PEOPLE, {"language": "ru"})
    assert event.institution_id == large_list.institution_id
    _download(client, large_list)
    assert AuditEvent.objects.filter(action=AuditAction.PRINT).count() == 2
    # Stored privately, under ids and the language only.
    (stored,) = _stored(settings)
    assert (
        stored.relative_to(settings.MEDIA_ROOT)
        .as_posix()
        .startswith(f"list-papers/{large_list.pk}/ru-")
    )


def test_a_changed_list_is_rendered_anew_and_its_old_file_replaced(
    client_for, officer_a, large_list, settings, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    _prepare(client, large_list, django_capture_on_commit_callbacks)
    (first,) = _stored(settings)
    RespondentFactory(respondent_list=large_list, surname="Жаңадан", given_name="Келген")
    # The stored paper no longer is the list: not offered, not served.
    page = _print_page(client, large_list).content.decode()
    assert reverse("respondents:list_pdf_file", args=[large_list.pk]) not in page
    assert f'action="{reverse("respondents:list_pdf_prepare", args=[large_list.pk])}"' in page
    stale = _download(client, large_list)
    assert stale.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()

    _prepare(client, large_list, django_capture_on_commit_callbacks)
    job = ListPaperJob.objects.get()
    assert (job.state, job.rows_total, job.attempts) == (PaperState.SUCCEEDED, PEOPLE + 1, 2)
    (second,) = _stored(settings)
    assert second != first
    assert "Жаңадан" in _text(b"".join(_download(client, large_list).streaming_content))


def test_a_new_head_makes_the_stored_paper_out_of_date(
    client_for, officer_a, institution_a, large_list, settings, django_capture_on_commit_callbacks
):
    """The head signs the paper: a paper naming the one before is not handed out."""
    client = client_for(officer_a)
    _prepare(client, large_list, django_capture_on_commit_callbacks)
    institution_a.head_name = "Жаңа Басшы"
    institution_a.save()
    page = _print_page(client, large_list).content.decode()
    assert reverse("respondents:list_pdf_file", args=[large_list.pk]) not in page
    assert _download(client, large_list).status_code == 302
    _prepare(client, large_list, django_capture_on_commit_callbacks)
    assert "Жаңа Басшы" in _text(b"".join(_download(client, large_list).streaming_content))


def test_a_colleagues_paper_naming_them_as_signatory_is_not_handed_to_another(
    client_for, officer_a, institution_a, large_list, settings, django_capture_on_commit_callbacks
):
    """A list nobody submitted yet is signed by the staff member printing it: the paper one
    officer had prepared names them, so another officer of the institution gets their own."""
    from tests.factories import OfficerFactory, ResponsibleStaffFactory

    colleague = OfficerFactory(username="officer_a2", institution=institution_a)
    ResponsibleStaffFactory(institution=institution_a, user=officer_a, full_name="Бірінші Маман")
    ResponsibleStaffFactory(institution=institution_a, user=colleague, full_name="Екінші Маман")
    _prepare(client_for(officer_a), large_list, django_capture_on_commit_callbacks)
    first = b"".join(_download(client_for(officer_a), large_list).streaming_content)
    assert "Бірінші Маман" in _text(first)

    other = client_for(colleague)
    page = _print_page(other, large_list).content.decode()
    assert reverse("respondents:list_pdf_file", args=[large_list.pk]) not in page
    assert _download(other, large_list).status_code == 302
    _prepare(other, large_list, django_capture_on_commit_callbacks)
    text = _text(b"".join(_download(other, large_list).streaming_content))
    assert "Екінші Маман" in text
    assert "Бірінші Маман" not in text


def test_printing_again_an_unchanged_list_renders_nothing_new(
    client_for, officer_a, large_list, settings, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    _prepare(client, large_list, django_capture_on_commit_callbacks)
    _prepare(client, large_list, django_capture_on_commit_callbacks)
    assert ListPaperJob.objects.get().attempts == 1
    # A second delivery of the finished task changes nothing either.
    job = list_paper_job_run(job_id=ListPaperJob.objects.get().pk)
    assert job is not None
    assert job.attempts == 1
    assert len(_stored(settings)) == 1


def test_each_language_is_a_paper_of_its_own(
    client_for, officer_a, large_list, settings, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    _prepare(client, large_list, django_capture_on_commit_callbacks, language="kk")
    _prepare(client, large_list, django_capture_on_commit_callbacks, language="ru")
    assert sorted(ListPaperJob.objects.values_list("language", flat=True)) == ["kk", "ru"]
    kk = _text(b"".join(_download(client, large_list, "kk").streaming_content))
    assert "РЕСПОНДЕНТТЕР ТІЗІМІ" in kk


def test_another_institution_cannot_start_or_download_the_paper(
    client_for,
    officer_a,
    officer_b,
    commission_user,
    department_user,
    large_list,
    django_capture_on_commit_callbacks,
):
    _prepare(client_for(officer_a), large_list, django_capture_on_commit_callbacks)
    job = ListPaperJob.objects.get()
    other = client_for(officer_b)
    assert _prepare(other, large_list, django_capture_on_commit_callbacks).status_code == 404
    assert _download(other, large_list).status_code == 404
    assert _print_page(other, large_list).status_code == 404
    commission = client_for(commission_user)
    assert _prepare(commission, large_list, django_capture_on_commit_callbacks).status_code == 403
    assert _download(commission, large_list).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()
    assert ListPaperJob.objects.get().attempts == job.attempts
    # The Department reads the list's paper as the direct print allows it.
    department = _download(client_for(department_user), large_list)
    assert department.status_code == 200
    assert department["Content-Type"] == "application/pdf"


def test_a_regional_department_reads_its_own_regions_papers_only(
    client_for, officer_a, large_list, django_capture_on_commit_callbacks
):
    _prepare(client_for(officer_a), large_list, django_capture_on_commit_callbacks)
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = client_for(DepartmentUserFactory(username="other_region", region=elsewhere))
    assert _prepare(outsider, large_list, django_capture_on_commit_callbacks).status_code == 404
    assert _download(outsider, large_list).status_code == 404
    own = DepartmentUserFactory(
        username="own_region", region=large_list.institution.district.region
    )
    assert _download(client_for(own), large_list).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PRINT).count() == 1


def test_the_start_is_a_post(client_for, officer_a, large_list):
    url = reverse("respondents:list_pdf_prepare", args=[large_list.pk])
    assert client_for(officer_a).get(url, {"lang": "ru"}).status_code == 405
    assert not ListPaperJob.objects.exists()


@pytest.mark.parametrize(
    ("language", "failed", "retry"),
    [
        ("ru", "Не удалось подготовить PDF.", "Повторить"),
        ("kk", "PDF дайындалмады.", "Қайталап көру"),
    ],
)
def test_a_render_error_fails_the_job_with_a_message_and_a_retry(
    client_for,
    officer_a,
    large_list,
    monkeypatch,
    django_capture_on_commit_callbacks,
    language,
    failed,
    retry,
):
    officer_a.language = language
    officer_a.save()
    client = client_for(officer_a)
    monkeypatch.setattr(list_paper, "TEMPLATE", "respondents/pdf/no-such-template.html")
    _prepare(client, large_list, django_capture_on_commit_callbacks, language)
    job = ListPaperJob.objects.get()
    assert (job.state, job.file.name) == (PaperState.FAILED, "")
    page = _print_page(client, large_list, language).content.decode()
    assert failed in page
    assert retry in page
    assert 'http-equiv="refresh"' not in page
    assert _download(client, large_list, language).status_code == 302
    monkeypatch.undo()
    _prepare(client, large_list, django_capture_on_commit_callbacks, language)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (PaperState.SUCCEEDED, 2)


@pytest.mark.parametrize(
    ("language", "preparing", "stalled"),
    [
        ("ru", "PDF готовится.", "PDF не был подготовлен вовремя."),
        ("kk", "PDF дайындалып жатыр.", "PDF уақытында дайындалмады."),
    ],
)
def test_a_job_lost_with_its_worker_is_shown_stalled_and_can_be_started_again(
    client_for,
    officer_a,
    large_list,
    settings,
    django_capture_on_commit_callbacks,
    language,
    preparing,
    stalled,
):
    officer_a.language = language
    officer_a.save()
    client = client_for(officer_a)
    # Queued, never taken (the broker lost it): the page says so and refreshes itself.
    job = ListPaperJob.objects.create(
        respondent_list=large_list, language=language, requested_by=officer_a
    )
    page = _print_page(client, large_list, language).content.decode()
    assert preparing in page
    assert 'http-equiv="refresh"' in page
    # Still running long after its start: its worker died.
    job.state = PaperState.RUNNING
    job.started_at = clock.wall_now() - dt.timedelta(seconds=settings.LIST_PAPER_STALL_SECONDS + 1)
    job.attempts = 1
    job.save()
    page = _print_page(client, large_list, language).content.decode()
    assert stalled in page
    assert 'http-equiv="refresh"' not in page
    _prepare(client, large_list, django_capture_on_commit_callbacks, language)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (PaperState.SUCCEEDED, 2)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["PDF готов.", "Скачать PDF", "фоновом режиме"]),
        ("kk", ["PDF дайын.", "PDF жүктеп алу", "фондық режимде"]),
    ],
)
def test_the_ready_page_is_in_the_readers_language(
    client_for, officer_a, large_list, django_capture_on_commit_callbacks, language, words
):
    officer_a.language = language
    officer_a.save()
    client = client_for(officer_a)
    _prepare(client, large_list, django_capture_on_commit_callbacks, language)
    page = _print_page(client, large_list, language).content.decode()
    for word in words:
        assert word in page, word
    for english in ("Download the PDF", "The PDF is ready", "in the background"):
        assert english not in page
