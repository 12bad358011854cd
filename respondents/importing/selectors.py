"""Reads of import jobs, narrowed to the lists the acting user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.scoping import scope_queryset
from accounts.types import Actor
from respondents.models import ImportJob, RespondentList


def import_job_list(
    *, user: Actor, respondent_list: RespondentList | None = None
) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related(
        "respondent_list", "respondent_list__institution", "created_by"
    )
    if respondent_list is not None:
        jobs = jobs.filter(respondent_list=respondent_list)
    return scope_queryset(jobs, user=user, institution_path="respondent_list__institution")


def import_job_get(*, user: Actor, pk: int) -> ImportJob:
    """One job the user may see; 404 for another institution's."""
    try:
        return import_job_list(user=user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc
