"""Two department employees at once: the kit goes out once, act numbers never repeat."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from equipment.models import HandoverAct, HandoverItem
from equipment.services import handover_act_create
from tests.equipment.factories import TabletKitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    """Run each call in its own thread (own database connection), starting together."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _hand_over(actor, staff, kits):
    return lambda: handover_act_create(
        actor=actor,
        institution=staff.institution,
        received_by=staff,
        kits=kits,
        act_date=dt.date(2021, 9, 20),
    )


def test_two_concurrent_handovers_of_one_kit_one_succeeds(department_user, staff_a, staff_b):
    kit = TabletKitFactory()
    results = _race(
        [_hand_over(department_user, staff_a, [kit]), _hand_over(department_user, staff_b, [kit])]
    )
    successes = [r for r in results if isinstance(r, HandoverAct)]
    failures = [r for r in results if isinstance(r, ValidationError)]
    assert len(successes) == 1, results
    assert len(failures) == 1, results
    assert failures[0].error_list[0].code == "kit_not_available"
    assert kit.inventory_number in failures[0].messages[0]
    assert HandoverItem.objects.filter(kit=kit, is_open=True).count() == 1
    # The failed act rolled back entirely, number included: the sequence has no gap.
    assert list(HandoverAct.objects.values_list("number", flat=True)) == [1]


def test_concurrent_acts_take_consecutive_numbers(department_user, staff_a, staff_b):
    first, second = TabletKitFactory(), TabletKitFactory()
    results = _race(
        [
            _hand_over(department_user, staff_a, [first]),
            _hand_over(department_user, staff_b, [second]),
        ]
    )
    assert all(isinstance(r, HandoverAct) for r in results), results
    assert sorted(r.number for r in results) == [1, 2]
