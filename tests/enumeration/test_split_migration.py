"""Stage 2 moved from ``respondents`` to ``enumeration`` without touching its tables.

A database migrated at the last migrations before the move, with stage-2 rows written
through the models as they were then, migrates forward and the same rows read through the
new models; content types keep their ids (so permissions keep pointing at the models), and
the triggers and counters keep working afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enumeration import services
from enumeration.models import Certificate, Enumeration, EnumerationChange, ListProgress
from enumeration.progress_services import progress_rebuild
from respondents.models import ListSize
from tests.enumeration.stage2 import ONLINE_DAY, accepted_list, people
from tests.respondents.factories import RespondentFactory, RespondentListFactory

pytestmark = pytest.mark.django_db(transaction=True)

LAST_BEFORE_SPLIT = ("respondents", "0007_import_job_supervision")
BEFORE_SPLIT = [LAST_BEFORE_SPLIT, ("enumeration", None)]
MOVED = ("enumeration", "enumerationchange", "certificate", "listprogress", "dailyprogress")


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


def test_rows_written_before_the_split_read_through_the_enumeration_models(
    officer_a, institution_a, institution_b
):
    respondent_list = accepted_list(institution_a)
    first, second = people(respondent_list, 2)
    moved_type_ids = {
        model: ContentType.objects.get(app_label="enumeration", model=model).pk for model in MOVED
    }
    try:
        old = _migrate(BEFORE_SPLIT).loader.project_state(LAST_BEFORE_SPLIT).apps
        # The database as main left it: the models and their content types under respondents.
        assert {
            model: ContentType.objects.get(app_label="respondents", model=model).pk
            for model in MOVED
        } == moved_type_ids
        outcome = old.get_model("respondents", "Enumeration").objects.create(
            respondent_id=first.pk,
            status="enumerated",
            method="online_self",
            enumerated_on=ONLINE_DAY,
            registration_number="R-1",
            source="web",
        )
        old.get_model("respondents", "EnumerationChange").objects.create(
            enumeration_id=outcome.pk,
            actor_id=officer_a.pk,
            source="web",
            after={"status": "enumerated"},
        )
        counter = old.get_model("respondents", "CertificateCounter").objects.create(
            campaign_id=respondent_list.campaign_id, last_number=1
        )
        old.get_model("respondents", "Certificate").objects.create(
            campaign_id=counter.campaign_id,
            respondent_id=first.pk,
            number=1,
            issued_on=ONLINE_DAY,
            issued_by_id=officer_a.pk,
        )
    finally:
        _migrate()

    outcome = Enumeration.objects.get(respondent=first)
    assert (outcome.status, outcome.method, outcome.enumerated_on) == (
        "enumerated",
        "online_self",
        ONLINE_DAY,
    )
    assert outcome.registration_number == "R-1"
    assert list(EnumerationChange.objects.filter(enumeration=outcome).values_list("after")) == [
        ({"status": "enumerated"},)
    ]
    assert Certificate.objects.get(respondent=first).number == 1
    # Content types were relabelled, not created again: permissions keep their model.
    assert {
        model: ContentType.objects.get_for_model(cls).pk
        for model, cls in (("enumeration", Enumeration), ("certificate", Certificate))
    } == {model: moved_type_ids[model] for model in ("enumeration", "certificate")}
    assert not ContentType.objects.filter(app_label="respondents", model__in=MOVED).exists()
    assert Permission.objects.filter(
        content_type__app_label="enumeration", codename="view_enumeration"
    ).exists()

    # The counters and the ListSize triggers (respondents' migrations) still work.
    progress_rebuild(campaign=respondent_list.campaign)
    assert ListProgress.objects.get(respondent_list=respondent_list).method_online_self == 1
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=second.pk,
            status="enumerated",
            method="online_self",
            enumerated_on=ONLINE_DAY + dt.timedelta(days=1),
        ),
    )
    assert ListProgress.objects.get(respondent_list=respondent_list).method_online_self == 2
    draft = RespondentListFactory(institution=institution_b, campaign=respondent_list.campaign)
    RespondentFactory(respondent_list=draft)
    assert ListSize.objects.get(respondent_list=draft).rows == 1
