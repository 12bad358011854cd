"""The export's matches applied all at once: new outcomes recorded, agreeing officers
confirmed, disagreeing ones and taken form numbers to review with both sides, the
counters right after the run, one audit event for the run's outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from censusdb.models import CensusCandidate, CensusRecord, CensusReview
from enumeration import services
from enumeration.models import Enumeration, EnumerationChange, ListProgress
from enumeration.progress_services import progress_rebuild
from institutions.selectors import campaign_get_active
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import ONLINE_DAY, accepted_list, enumerate_online, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _progress(respondent_list):
    values = ListProgress.objects.filter(respondent_list=respondent_list).values().get()
    values.pop("updated_at", None)
    return values


def test_an_export_is_applied_at_once_and_never_over_an_officer(
    department_user, officer_a, institution_a
):
    respondent_list = accepted_list(institution_a)
    crowd = people(respondent_list, 10)
    for person in crowd[2:4]:
        enumerate_online(officer_a, person, day=ONLINE_DAY)  # agrees with the export
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=crowd[4].pk,
            status="not_enumerated",
            reason="refused",
            enumerated_on=ONLINE_DAY,
        ),
    )
    enumerate_online(officer_a, crowd[5], day=dt.date(2021, 9, 25))
    for person, number in ((crowd[8], "F-6"), (crowd[9], "F-7")):
        services.enumeration_record(
            actor=officer_a,
            update=services.EnumerationUpdate(
                respondent_id=person.pk,
                status="enumerated",
                method="online_self",
                enumerated_on=ONLINE_DAY,
                registration_number=number,
            ),
        )
    officers = {
        e.respondent_id: (e.status, e.enumerated_on, e.source)
        for e in Enumeration.objects.filter(respondent__in=crowd[2:10])
    }
    history = EnumerationChange.objects.count()
    seen = set(AuditEvent.objects.values_list("pk", flat=True))

    export = run_export(
        department_user, [form(f"F-{n}", person) for n, person in enumerate(crowd[:8])]
    )

    assert export.state == "done", export.message
    assert (export.applied, export.confirmed, export.queued) == (2, 2, 4)
    states = dict(CensusRecord.objects.values_list("form_number", "state"))
    assert [states[f"F-{n}"] for n in range(8)] == ["applied"] * 2 + ["confirmed"] * 2 + [
        "review"
    ] * 4
    for n in (0, 1):
        enumeration = Enumeration.objects.get(respondent=crowd[n])
        assert (enumeration.source, enumeration.registration_number) == ("census", f"F-{n}")
        assert enumeration.changes.get().after["registration_number"] == f"F-{n}"
    assert EnumerationChange.objects.count() == history + 2
    # Every officer's outcome is as it was.
    assert {
        e.respondent_id: (e.status, e.enumerated_on, e.source)
        for e in Enumeration.objects.filter(respondent__in=crowd[2:10])
    } == officers
    reviews = {r.record.form_number: r for r in CensusReview.objects.select_related("record")}
    assert set(reviews) == {"F-4", "F-5", "F-6", "F-7"}
    assert {r.kind for r in reviews.values()} == {"conflict"}
    assert reviews["F-4"].officer_side["status"] == "not_enumerated"
    assert reviews["F-5"].officer_side["enumerated_on"] == "2021-09-25"
    assert reviews["F-6"].note == reviews["F-7"].note != ""
    assert reviews["F-6"].officer_side == {}
    assert {
        (c.review.record.form_number, c.respondent_id)
        for c in CensusCandidate.objects.select_related("review__record")
    } == {("F-4", crowd[4].pk), ("F-5", crowd[5].pk), ("F-6", crowd[6].pk), ("F-7", crowd[7].pk)}
    # The counters are right right after the run: a full recount finds the same.
    progress = _progress(respondent_list)
    assert (progress["method_online_self"], progress["reason_refused"]) == (7, 1)
    progress_rebuild(campaign=campaign_get_active())
    assert _progress(respondent_list) == progress
    # One audit event for the run's outcomes, with its counts.
    event = AuditEvent.objects.exclude(pk__in=seen).get(object_type="respondents.respondent")
    assert (event.record_count, event.extra["created"], event.extra["updated"]) == (2, 2, 0)
