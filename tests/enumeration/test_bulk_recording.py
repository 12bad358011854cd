"""The set-based recording of a whole census-DB export (``enumeration_record_bulk``) stores
what the per-row batch (``enumeration_record_batch``) stores: outcomes, change history and
progress counters; it never overwrites an officer's outcome, and refuses with the batch's
messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from enumeration import services
from enumeration.models import DailyProgress, Enumeration, EnumerationChange, ListProgress
from enumeration.progress_services import progress_rebuild
from institutions.selectors import campaign_get_active
from tests.enumeration.stage2 import ONLINE_DAY, TABLET_DAY, accepted_list, enumerate_online, people

pytestmark = pytest.mark.django_db
TABLE = "test_enumeration_bulk"
OUTSIDE = "Completed on this date in the census database."


def _bulk(actor: Any, updates: list[services.EnumerationUpdate]) -> dict[int, str]:
    """Record ``updates`` through the bulk service; the refusals by respondent id."""
    services.enumeration_bulk_table(TABLE)
    with connection.cursor() as cursor:
        for row, update in enumerate(updates):
            cursor.execute(
                f"INSERT INTO {TABLE} (row_id, respondent_id, method, enumerated_on, "  # noqa: S608
                "tablet_kit_ref, registration_number, window_override_reason) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [row, update.respondent_id, update.method, update.enumerated_on,
                 update.tablet_kit_ref, update.registration_number,
                 update.window_override_reason],
            )  # fmt: skip
    services.enumeration_record_bulk(actor=actor, campaign=campaign_get_active(), table=TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT respondent_id, refusal FROM {TABLE} WHERE refusal IS NOT NULL")  # noqa: S608
        return dict(cursor.fetchall())


def _update(person: Any, number: str, **values: Any) -> services.EnumerationUpdate:
    data: dict[str, Any] = {
        "respondent_id": person.pk,
        "status": "enumerated",
        "method": "online_self",
        "enumerated_on": ONLINE_DAY,
        "registration_number": number,
    }
    data.update(values)
    return services.EnumerationUpdate(**data)


def _outcome(person: Any) -> tuple[Any, ...]:
    e = Enumeration.objects.get(respondent=person)
    return (e.status, e.method, e.reason, e.reason_detail, e.enumerated_on, e.staff_id,
            e.tablet_kit_ref, e.note, e.window_override_reason, e.window_override_by_id,
            e.updated_by_id, e.source)  # fmt: skip


def _history(person: Any) -> list[tuple[Any, ...]]:
    changes = EnumerationChange.objects.filter(enumeration__respondent=person).order_by("pk")
    return [
        (c.actor_id, c.source, _without_number(c.before), _without_number(c.after)) for c in changes
    ]


def _without_number(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot less its registration number (each twin has its own, they are unique)."""
    return {k: v for k, v in snapshot.items() if k != "registration_number"}


def _counters(respondent_list: Any) -> tuple[Any, ...]:
    progress = ListProgress.objects.filter(respondent_list=respondent_list).values().get()
    for key in ("id", "respondent_list_id", "institution_id", "updated_at"):
        progress.pop(key, None)
    daily = sorted(
        DailyProgress.objects.filter(respondent_list=respondent_list).values_list(
            "day", "method", "enumerated"
        )
    )
    return progress, daily


def _scenario(actor: Any, institution: Any, prefix: str) -> tuple[Any, list[Any]]:
    """Four people: two with nothing recorded, one pending, one the census DB recorded
    earlier (to be updated); one more stays untouched."""
    respondent_list = accepted_list(institution)
    crowd = people(respondent_list, 5)
    services.enumeration_record_batch(
        actor=actor,
        updates=[
            services.EnumerationUpdate(respondent_id=crowd[2].pk, status="pending"),
            _update(crowd[3], f"{prefix}-OLD", enumerated_on=dt.date(2021, 9, 18)),
        ],
        source="census",
    )
    return respondent_list, crowd


def _updates(crowd: list[Any], prefix: str) -> list[services.EnumerationUpdate]:
    return [
        _update(crowd[0], f"{prefix}-1"),
        _update(
            crowd[1],
            f"{prefix}-2",
            method="tablet",
            enumerated_on=TABLET_DAY,
            tablet_kit_ref="KIT-7",
        ),
        _update(
            crowd[2],
            f"{prefix}-3",
            enumerated_on=dt.date(2021, 8, 30),
            window_override_reason=OUTSIDE,
        ),
        # inside the window: no reason kept
        _update(
            crowd[3],
            f"{prefix}-4",
            enumerated_on=dt.date(2021, 9, 22),
            window_override_reason=OUTSIDE,
        ),
    ]


def test_the_bulk_path_records_what_the_batch_records(
    department_user, institution_a, institution_b
):
    batch_list, batch_people = _scenario(department_user, institution_a, "A")
    bulk_list, bulk_people = _scenario(department_user, institution_b, "B")

    services.enumeration_record_batch(
        actor=department_user, updates=_updates(batch_people, "A"), source="census"
    )
    assert _bulk(department_user, _updates(bulk_people, "B")) == {}

    for batch_person, bulk_person in zip(batch_people, bulk_people, strict=True):
        if batch_person is batch_people[4]:
            assert not Enumeration.objects.filter(respondent__in=[batch_person, bulk_person])
            continue
        assert _outcome(bulk_person) == _outcome(batch_person)
        assert _history(bulk_person) == _history(batch_person)
    assert Enumeration.objects.get(respondent=bulk_people[1]).tablet_kit_ref == "KIT-7"
    assert Enumeration.objects.get(respondent=bulk_people[3]).registration_number == "B-4"
    assert Enumeration.objects.get(respondent=bulk_people[3]).window_override_reason == ""
    assert Enumeration.objects.get(respondent=bulk_people[2]).window_override_reason == OUTSIDE
    # The counters: the same figures on both lists, and right (a full recount agrees).
    assert _counters(bulk_list) == _counters(batch_list)
    progress, daily = _counters(bulk_list)
    assert (progress["listed"], progress["method_online_self"], progress["method_tablet"]) == (
        5,
        3,
        1,
    )
    assert (TABLET_DAY, "tablet", 1) in daily
    before = (_counters(bulk_list), _counters(batch_list))
    progress_rebuild(campaign=campaign_get_active())
    assert (_counters(bulk_list), _counters(batch_list)) == before
    # One audit event for the whole table, with the counts.
    event = AuditEvent.objects.filter(extra__source="census").get()
    assert (event.record_count, event.extra["created"], event.extra["updated"]) == (4, 2, 2)


def test_the_bulk_path_never_overwrites_an_officers_outcome(
    department_user, officer_a, institution_a
):
    crowd = people(accepted_list(institution_a), 3)
    enumerate_online(officer_a, crowd[0], day=dt.date(2021, 9, 25))
    services.enumeration_record(
        actor=officer_a,
        update=services.EnumerationUpdate(
            respondent_id=crowd[1].pk,
            status="not_enumerated",
            reason="refused",
            enumerated_on=ONLINE_DAY,
        ),
    )
    kept = [_outcome(crowd[0]), _outcome(crowd[1])]
    history = [_history(crowd[0]), _history(crowd[1])]

    updates = [_update(crowd[0], "F-1"), _update(crowd[1], "F-2"), _update(crowd[2], "F-3")]
    refused = _bulk(department_user, updates)

    assert set(refused) == {crowd[0].pk, crowd[1].pk}
    assert refused[crowd[0].pk] == _(
        "An officer recorded this person's outcome; it is not overwritten."
    )
    assert [_outcome(crowd[0]), _outcome(crowd[1])] == kept
    assert [_history(crowd[0]), _history(crowd[1])] == history
    assert _outcome(crowd[2])[0] == "enumerated"
    progress = ListProgress.objects.get(respondent_list=crowd[0].respondent_list)
    assert (progress.method_online_self, progress.reason_refused) == (2, 1)


def test_the_bulk_path_refuses_with_the_batchs_messages(
    department_user, officer_a, institution_a, institution_b
):
    crowd = people(accepted_list(institution_a), 4)
    stranger = people(accepted_list(institution_b), 1)[0]
    stranger.respondent_list.status = "draft"
    stranger.respondent_list.save(update_fields=["status"])
    enumerate_online(department_user, crowd[3], day=ONLINE_DAY)  # holds no number yet
    services.enumeration_record_batch(
        actor=department_user, updates=[_update(crowd[3], "TAKEN")], source="web"
    )
    cases = [
        _update(crowd[0], "F-1", enumerated_on=dt.date(2030, 1, 1), window_override_reason="x"),
        _update(crowd[1], "F-2", enumerated_on=dt.date(2021, 8, 1)),
        _update(crowd[2], "TAKEN"),
        _update(stranger, "F-4"),
    ]
    expected = {}
    for update in cases:
        with pytest.raises(ValidationError) as error:
            services.enumeration_record_batch(actor=department_user, updates=[update])
        expected[update.respondent_id] = " ".join(error.value.messages)

    assert _bulk(department_user, cases) == expected
    assert not Enumeration.objects.filter(respondent__in=[*crowd[:3], stranger]).exists()
