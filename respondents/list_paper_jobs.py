"""A large list's paper rendered by a Celery worker and kept as a protected file.

``list_paper.render_list_paper`` takes about 15 ms of CPU a person: above
``LIST_PAPER_BACKGROUND_ROWS`` people the print starts a job instead (one per list and
language), the worker renders the same document into ``MEDIA_ROOT`` (never served but by
``list_paper_views.list_pdf_file``), and the page offers the file while the list's
``content_version`` is still the one it was rendered from. A render that raises marks the
job failed; a job lost with its worker is shown as stalled after
``LIST_PAPER_STALL_SECONDS``, and either can be started again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from census_coord import clock
from respondents import list_paper, selectors
from respondents.models import ListPaperJob, PaperState, RespondentList

logger = logging.getLogger(__name__)


def list_paper_job_get(*, respondent_list: RespondentList, language: str) -> ListPaperJob | None:
    """The paper job of ``respondent_list`` (already read through the actor's scope)."""
    return ListPaperJob.objects.filter(respondent_list=respondent_list, language=language).first()


def list_paper_job_is_current(job: ListPaperJob | None, *, version: str) -> bool:
    """The job holds a rendered file of the list as it is now."""
    return bool(
        job is not None
        and job.state == PaperState.SUCCEEDED
        and job.content_version == version
        and job.file
        and job.file.storage.exists(job.file.name)
    )


def list_paper_job_start(
    *, actor: Any, respondent_list: RespondentList, language: str
) -> ListPaperJob:
    """Ask a worker for the paper of ``respondent_list`` in ``language``.

    Nothing new is started while a job for it is queued or running (and not stalled), or
    while the stored file is still the list as it is now; otherwise the job is queued again
    and handed to the worker once this transaction commits."""
    rows = selectors.respondents_as_of_reference_date(user=actor, respondent_list=respondent_list)
    version = list_paper.content_version(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=actor
    )
    created = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                _job, created = ListPaperJob.objects.get_or_create(
                    respondent_list=respondent_list,
                    language=language,
                    defaults={"requested_by": actor},
                )
        except IntegrityError:  # created by a concurrent print: it enqueues it
            pass
        job = ListPaperJob.objects.select_for_update().get(
            respondent_list=respondent_list, language=language
        )
        if created:
            transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
            return job
        if job.is_active and not job.is_stalled:
            # A queued job reads the rows when the worker takes it; a running one that
            # reads them too early leaves a version the next print sees as out of date.
            return job
        if list_paper_job_is_current(job, version=version):
            return job
        job.state = PaperState.QUEUED
        job.requested_by = actor
        job.requested_at = clock.wall_now()
        job.started_at = None
        job.finished_at = None
        job.save(
            update_fields=["state", "requested_by", "requested_at", "started_at", "finished_at"]
        )
        transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job


# The task that renders a paper (``respondents.tasks.list_paper_render``), registered by
# RespondentsConfig.ready(): the tasks import this module, this module never imports them.
_RENDERER: dict[str, Any] = {}


def list_paper_renderer_register(task: Any) -> None:
    """Name the task ``list_paper_job_start`` hands jobs to."""
    _RENDERER["render"] = task


def _enqueue(job_id: int) -> None:
    _RENDERER["render"].delay(job_id)


def list_paper_job_run(*, job_id: int) -> ListPaperJob | None:
    """Render the job's paper and store it, replacing the file of an earlier version.

    Idempotent: a finished job (or one deleted with its list) is left alone; a job whose
    worker died is still *running* when delivered again and is simply rendered again."""
    with transaction.atomic():
        job = (
            ListPaperJob.objects.select_for_update()
            .select_related("respondent_list__institution", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or not job.is_active:
            return job
        job.state = PaperState.RUNNING
        job.attempts += 1
        job.started_at = clock.wall_now()
        job.save(update_fields=["state", "attempts", "started_at"])
    respondent_list = job.respondent_list
    try:
        rows = selectors.respondents_as_of_reference_date(
            user=job.requested_by, respondent_list=respondent_list
        )
        version = list_paper.content_version(
            respondent_list=respondent_list,
            rows=rows,
            language=job.language,
            printed_by=job.requested_by,
        )
        content, total = list_paper.render_list_paper(
            respondent_list=respondent_list,
            rows=rows,
            language=job.language,
            printed_by=job.requested_by,
        )
    except Exception as exc:
        # The exception's text may quote a person's data: the log names the job and the
        # kind of error only; the page shows a translated message for the failed state.
        logger.error("list paper job %s failed: %s", job.pk, type(exc).__name__)
        job.state = PaperState.FAILED
        job.finished_at = clock.wall_now()
        job.save(update_fields=["state", "finished_at"])
        return job
    if job.file:
        job.file.delete(save=False)
    job.content_version = version
    job.file.save("paper.pdf", ContentFile(content), save=False)
    job.rows_total = total
    job.state = PaperState.SUCCEEDED
    job.finished_at = clock.wall_now()
    job.save(update_fields=["content_version", "file", "rows_total", "state", "finished_at"])
    logger.info("list paper job %s rendered (%s people)", job.pk, total)
    return job
