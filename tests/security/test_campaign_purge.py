"""After a campaign closes, its people become counts only (issue 15, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.core.management import call_command as django_call_command
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from enumeration.models import DailyProgress, Enumeration, ListProgress
from enumeration.progress_services import progress_rebuild
from institutions.models import Campaign, Region
from respondents.list_paper_jobs import list_paper_job_run, list_paper_job_start
from respondents.models import (
    DuplicateIinConflict,
    ImportJob,
    ListPaperJob,
    PaperState,
    Respondent,
    RespondentList,
    SignedListScan,
)
from respondents.purge_services import campaign_closes_on
from respondents.services import respondent_list_scan_attach
from tests.factories import DepartmentUserFactory

pytestmark = pytest.mark.django_db
CODE = "census-2021"


def call_command(*args):
    with translation.override("en"):  # the refusals are translated: read them in English
        return django_call_command(*args)


def _counters() -> list[tuple]:
    """Every progress counter, without row ids or times (a rebuild writes new rows)."""
    result = []
    for model in (ListProgress, DailyProgress):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and f.get_internal_type() != "DateTimeField"
        ]
        result += sorted(model.objects.values_list(*names))
    return result


def _rows_per_list() -> dict[int, int]:
    return {rl.pk: rl.respondents.count() for rl in RespondentList.objects.all()}


def _close(campaign_code: str = CODE) -> Campaign:
    Campaign.objects.filter(code=campaign_code).update(is_active=False)
    return Campaign.objects.get(code=campaign_code)


def test_purge_anonymises_people_and_keeps_every_count(world, capsys):
    campaign = _close()
    department = world.users["department"]
    respondent_count = Respondent.objects.count()
    per_list = _rows_per_list()
    counters = _counters()
    iin = world.respondent_a.iin
    Respondent.objects.filter(pk=world.respondent_a.pk).update(external_ref="CASE-0042")
    files = [Path(job.file.path) for job in ImportJob.objects.exclude(file="")]
    assert files
    assert Enumeration.objects.exists()
    assert DuplicateIinConflict.objects.exists()

    call_command("campaign_purge", CODE, "--after-days", "30", "--as", department.username)

    assert "respondents=" in capsys.readouterr().out
    assert Respondent.objects.count() == respondent_count
    assert _rows_per_list() == per_list
    assert _counters() == counters
    progress_rebuild(campaign=campaign)  # recounting from the rows gives the same numbers
    assert _counters() == counters
    names = Respondent.objects.values_list(
        "surname", "given_name", "patronymic", "iin", "note", "external_ref"
    )
    assert set(names) == {("", "", "", "", "", "")}
    assert {(d.month, d.day) for d in Respondent.objects.values_list("birth_date", flat=True)} == {
        (1, 1)
    }
    assert not Respondent.objects.filter(sex="").exists()  # sex, citizenship... stay
    assert not any(re.fullmatch(r"\d{12}", c.iin) for c in DuplicateIinConflict.objects.all())
    assert not DuplicateIinConflict.objects.filter(iin=iin).exists()
    assert set(Enumeration.objects.values_list("note", "registration_number")) <= {("", "")}
    assert not any(path.exists() for path in files)
    assert not ImportJob.objects.filter(file_deleted_at__isnull=True).exists()
    event = AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="institutions.campaign"
    )
    event = event.get()
    assert event.actor == department
    assert event.record_count == respondent_count
    assert iin not in str(event.extra)


def test_purge_refuses_an_open_campaign_and_changes_nothing(world):
    department = world.users["department"]
    surname = world.respondent_a.surname
    with pytest.raises(CommandError, match="still open"):
        call_command("campaign_purge", CODE, "--after-days", "0", "--as", department.username)
    world.respondent_a.refresh_from_db()
    assert world.respondent_a.surname == surname
    assert not AuditEvent.objects.filter(object_type="institutions.campaign").exists()


def test_purge_refuses_a_date_within_the_retention_period(world):
    campaign = _close()
    department = world.users["department"]
    closed = campaign_closes_on(campaign).strftime("%d.%m.%Y")
    with pytest.raises(CommandError, match=f"Too early: the campaign closed on {closed}"):
        call_command("campaign_purge", CODE, "--after-days", "100000", "--as", department.username)
    world.respondent_a.refresh_from_db()
    assert world.respondent_a.iin


def test_purge_is_for_department_staff_only(world):
    _close()
    with pytest.raises(CommandError, match="not department staff"):
        call_command("campaign_purge", CODE, "--after-days", "0", "--as", "officer_a")
    assert Respondent.objects.exclude(surname="").exists()


def test_purge_twice_changes_nothing_more(world):
    _close()
    department = world.users["department"]
    call_command("campaign_purge", CODE, "--after-days", "0", "--as", department.username)
    counters = _counters()
    call_command("campaign_purge", CODE, "--after-days", "0", "--as", department.username)
    assert _counters() == counters
    assert Respondent.objects.filter(surname="").count() == Respondent.objects.count()


def test_a_regional_department_user_purges_their_region_only(world):
    """The purge reads the lists as the actor sees them: another region's people stay."""
    _close()
    other_region = Region.objects.create(code="other-region", name_kk="Басқа", name_ru="Другая")
    elsewhere = DepartmentUserFactory(username="dept_elsewhere", region=other_region)
    surname = world.respondent_a.surname
    iins = set(DuplicateIinConflict.objects.values_list("iin", flat=True))

    call_command("campaign_purge", CODE, "--after-days", "0", "--as", elsewhere.username)

    world.respondent_a.refresh_from_db()
    assert world.respondent_a.surname == surname
    assert not Respondent.objects.filter(surname="").exists()
    assert set(DuplicateIinConflict.objects.values_list("iin", flat=True)) == iins
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="institutions.campaign")
    assert event.record_count == 0


def test_purge_deletes_the_scans_of_signed_paper_lists(world, settings):
    department = world.users["department"]
    respondent_list = RespondentList.objects.filter(campaign__code=CODE).first()
    RespondentList.objects.filter(pk=respondent_list.pk).update(status="accepted")
    respondent_list.refresh_from_db()
    scan = respondent_list_scan_attach(
        actor=department,
        respondent_list=respondent_list,
        file=SimpleUploadedFile("list.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    path = Path(scan.file.path)
    assert path.exists()
    _close()

    call_command("campaign_purge", CODE, "--after-days", "30", "--as", department.username)

    assert not SignedListScan.objects.exists()
    assert not path.exists()


def test_purge_deletes_the_list_papers_a_worker_rendered(world, settings):
    settings.LIST_PAPER_BACKGROUND_ROWS = 0
    department = world.users["department"]
    respondent_list = RespondentList.objects.filter(campaign__code=CODE).first()
    job = list_paper_job_run(
        job_id=list_paper_job_start(
            actor=department, respondent_list=respondent_list, language="kk"
        ).pk
    )
    assert job is not None
    assert job.state == PaperState.SUCCEEDED
    path = Path(job.file.path)
    assert path.exists()
    _close()

    call_command("campaign_purge", CODE, "--after-days", "30", "--as", department.username)

    assert not ListPaperJob.objects.exists()
    assert not path.exists()
