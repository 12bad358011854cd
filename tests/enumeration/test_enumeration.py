"""Enumeration outcomes: windows and their override, administration records, batches."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enumeration import services
from enumeration.choices import EnumerationStatus
from enumeration.models import Enumeration, EnumerationChange
from enumeration.selectors import (
    critical_date,
    is_listed,
    listed_q,
    listed_respondents,
)
from institutions.models import Campaign
from respondents.models import Respondent
from tests.enumeration.stage2 import ONLINE_DAY, TABLET_DAY, accepted_list, enumerate_online, people
from tests.factories import ResponsibleStaffFactory
from tests.respondents.factories import RespondentListFactory

pytestmark = pytest.mark.django_db


def _update(respondent, **values):
    return services.EnumerationUpdate(respondent_id=respondent.pk, **values)


def _codes(error):
    return {item.code for item in error.value.error_list}


@pytest.fixture
def person_a(institution_a):
    return people(accepted_list(institution_a), 1)[0]


def test_online_date_inside_the_window_is_recorded(officer_a, person_a):
    enumeration = enumerate_online(officer_a, person_a)
    assert enumeration.status == EnumerationStatus.ENUMERATED
    assert enumeration.updated_by == officer_a
    assert enumeration.changes.get().after["method"] == "online_self"


@pytest.mark.parametrize(
    ("method", "day"),
    [
        ("online_self", dt.date(2021, 10, 16)),
        ("online_assisted", dt.date(2021, 8, 31)),
        ("tablet", dt.date(2021, 9, 30)),
        ("tablet", dt.date(2021, 10, 31)),
    ],
)
def test_date_outside_the_methods_window_is_refused(officer_a, person_a, method, day):
    staff = ResponsibleStaffFactory(institution=person_a.respondent_list.institution)
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(
                person_a, status="enumerated", method=method, enumerated_on=day, staff_id=staff.pk
            ),
        )
    assert _codes(error) == {"outside_window"}
    assert not Enumeration.objects.exists()


def test_window_edges_are_inside(officer_a, institution_a):
    first, last = people(accepted_list(institution_a), 2)
    for person, day in ((first, dt.date(2021, 10, 1)), (last, dt.date(2021, 10, 30))):
        services.enumeration_record(
            actor=officer_a,
            update=_update(person, status="enumerated", method="tablet", enumerated_on=day),
        )
    assert Enumeration.objects.count() == 2


def test_officer_cannot_override_the_window(officer_a, person_a):
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(
                person_a,
                status="enumerated",
                method="online_self",
                enumerated_on=dt.date(2021, 10, 20),
                window_override_reason="Сайт жұмыс істемеді",
            ),
        )
    assert _codes(error) == {"override_not_allowed"}


def test_department_overrides_the_window_with_a_recorded_reason(department_user, person_a):
    enumeration = services.enumeration_record(
        actor=department_user,
        update=_update(
            person_a,
            status="enumerated",
            method="online_self",
            enumerated_on=dt.date(2021, 10, 20),
            window_override_reason="Продление приказом БНС",
        ),
    )
    assert enumeration.window_override_reason == "Продление приказом БНС"
    assert enumeration.window_override_by == department_user
    assert enumeration.changes.get().after["window_override_reason"] == "Продление приказом БНС"


def test_override_reason_is_not_kept_for_a_date_inside_the_window(department_user, person_a):
    enumeration = services.enumeration_record(
        actor=department_user,
        update=_update(
            person_a,
            status="enumerated",
            method="tablet",
            enumerated_on=TABLET_DAY,
            window_override_reason="не нужно",
        ),
    )
    assert enumeration.window_override_reason == ""
    assert enumeration.window_override_by is None


def test_administration_records_need_the_staff_member_and_the_reason(officer_a, person_a):
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(
                person_a, status="enumerated", method="admin_records", enumerated_on=ONLINE_DAY
            ),
        )
    assert _codes(error) == {"staff_required", "admin_records_reason_required"}
    staff = ResponsibleStaffFactory(institution=person_a.respondent_list.institution)
    enumeration = services.enumeration_record(
        actor=officer_a,
        update=_update(
            person_a,
            status="enumerated",
            method="admin_records",
            enumerated_on=ONLINE_DAY,
            staff_id=staff.pk,
            reason_detail="Төсектен тұрмайды, сөйлей алмайды",
        ),
    )
    assert enumeration.method == "admin_records"
    assert enumeration.staff == staff
    assert enumeration.reason_detail == "Төсектен тұрмайды, сөйлей алмайды"


def test_staff_member_of_another_institution_is_refused(officer_a, person_a, institution_b):
    stranger = ResponsibleStaffFactory(institution=institution_b)
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(
                person_a,
                status="enumerated",
                method="online_assisted",
                enumerated_on=ONLINE_DAY,
                staff_id=stranger.pk,
            ),
        )
    assert _codes(error) == {"invalid_staff"}


def test_not_enumerated_needs_a_reason_and_other_needs_details(officer_a, person_a):
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(person_a, status="not_enumerated", enumerated_on=TABLET_DAY),
        )
    assert _codes(error) == {"reason_required"}
    with pytest.raises(ValidationError) as error:
        services.enumeration_record(
            actor=officer_a,
            update=_update(
                person_a, status="not_enumerated", reason="other", enumerated_on=TABLET_DAY
            ),
        )
    assert _codes(error) == {"reason_detail_required"}
    enumeration = services.enumeration_record(
        actor=officer_a,
        update=_update(
            person_a, status="not_enumerated", reason="refused", enumerated_on=TABLET_DAY
        ),
    )
    assert enumeration.reason == "refused"
    assert enumeration.method == ""


def test_a_batch_with_one_bad_row_changes_nothing(officer_a, institution_a):
    first, second = people(accepted_list(institution_a), 2)
    with pytest.raises(ValidationError) as error:
        services.enumeration_record_batch(
            actor=officer_a,
            updates=[
                {
                    "respondent_id": first.pk,
                    "status": "enumerated",
                    "method": "tablet",
                    "enumerated_on": TABLET_DAY,
                },
                {
                    "respondent_id": second.pk,
                    "status": "enumerated",
                    "method": "tablet",
                    "enumerated_on": ONLINE_DAY,
                },
            ],
        )
    assert [item.params["row"] for item in error.value.error_list] == [1]
    assert not Enumeration.objects.exists()
    assert not EnumerationChange.objects.exists()


def test_officer_cannot_record_another_institutions_person(officer_b, person_a):
    with pytest.raises(ValidationError) as error:
        enumerate_online(officer_b, person_a)
    assert _codes(error) == {"unknown_respondent"}


def test_commission_cannot_record(commission_user, person_a):
    with pytest.raises(PermissionDenied):
        enumerate_online(commission_user, person_a)


def test_who_is_listed_for_stage_two(department_user, institution_a):
    """Accepted list; arrivals count; leavers count only if they left on or after 1 Sep."""
    respondent_list = accepted_list(institution_a)
    stayer, arrival = people(respondent_list, 2)
    arrival.arrived_on = dt.date(2021, 7, 1)
    arrival.save()
    left_before, left_after = people(respondent_list, 2)
    left_before.departed_on, left_before.departure_reason = dt.date(2021, 8, 31), "left"
    left_before.save()
    left_after.departed_on, left_after.departure_reason = dt.date(2021, 9, 1), "left"
    left_after.save()
    campaign = respondent_list.campaign
    listed = set(listed_respondents(user=department_user, campaign=campaign))
    assert listed == {stayer, arrival, left_after}
    with pytest.raises(ValidationError) as error:
        enumerate_online(department_user, left_before)
    assert _codes(error) == {"not_listed"}


def test_person_on_a_list_not_yet_accepted_is_not_enumerated(officer_a, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    person.respondent_list.status = "submitted"
    person.respondent_list.save()
    with pytest.raises(ValidationError) as error:
        enumerate_online(officer_a, person)
    assert _codes(error) == {"not_listed"}


def test_registration_number_is_unique(officer_a, institution_a):
    first, second = people(accepted_list(institution_a), 2)
    for person, expected in ((first, None), (second, "registration_number_taken")):
        update = _update(
            person,
            status="enumerated",
            method="online_self",
            enumerated_on=ONLINE_DAY,
            registration_number="KZ-2021-000123",
        )
        if expected is None:
            services.enumeration_record(actor=officer_a, update=update)
        else:
            with pytest.raises(ValidationError) as error:
                services.enumeration_record(actor=officer_a, update=update)
            assert _codes(error) == {expected}


def test_a_change_keeps_the_history(officer_a, person_a):
    enumerate_online(officer_a, person_a)
    services.enumeration_record(
        actor=officer_a,
        update=_update(
            person_a, status="not_enumerated", reason="absent", enumerated_on=TABLET_DAY
        ),
    )
    changes = list(Enumeration.objects.get().changes.order_by("pk"))
    assert [c.after["status"] for c in changes] == ["enumerated", "not_enumerated"]
    assert changes[1].before["method"] == "online_self"


@pytest.mark.parametrize("size", [3, 30])
def test_batch_uses_a_constant_number_of_queries(
    officer_a, institution_a, size, django_assert_max_num_queries
):
    persons = people(accepted_list(institution_a), size)
    staff = ResponsibleStaffFactory(institution=institution_a)
    enumerate_online(officer_a, persons[0])  # one existing row, to be updated
    updates = [
        {
            "respondent_id": person.pk,
            "status": "enumerated",
            "method": "online_assisted",
            "enumerated_on": ONLINE_DAY,
            "staff_id": staff.pk,
            "registration_number": f"R-{person.pk}",
        }
        for person in persons
    ]
    # 9 for the batch itself, 5 to lock the list and recount its two progress counters,
    # 1 for the batch's audit row.
    with django_assert_max_num_queries(15):
        services.enumeration_record_batch(actor=officer_a, updates=updates)
    assert Enumeration.objects.filter(method="online_assisted").count() == size


def test_listed_rule_in_memory_agrees_with_the_query(institution_a, institution_b):
    campaign = Campaign.objects.get(is_active=True)
    moment = critical_date(campaign)
    accepted = accepted_list(institution_a)
    rows = [
        *people(accepted, 1),
        *people(accepted, 1, departed_on=moment - dt.timedelta(days=1), departure_reason="died"),
        *people(accepted, 1, departed_on=moment, departure_reason="died"),
        *people(RespondentListFactory(institution=institution_b), 1),
    ]
    by_query = set(
        Respondent.objects.filter(listed_q(campaign), pk__in=[r.pk for r in rows]).values_list(
            "pk", flat=True
        )
    )
    by_row = {r.pk for r in Respondent.objects.filter(pk__in=[r.pk for r in rows]) if is_listed(r)}
    assert by_row == by_query == {rows[0].pk, rows[2].pk}
