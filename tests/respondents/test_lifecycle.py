"""The review lifecycle, amendments and cross-institution conflicts, through the services."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from respondents import selectors, services
from respondents.choices import ConflictDecision, ListStatus
from respondents.models import DuplicateIinConflict, Respondent
from tests.respondents.factories import RespondentListFactory, make_iin, row_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


@pytest.fixture
def list_b(institution_b):
    return RespondentListFactory(institution=institution_b)


def _fill(respondent_list, officer, count=2):
    for n in range(count):
        services.respondent_create(
            actor=officer,
            respondent_list=respondent_list,
            data=row_data(birth_date=dt.date(1950, 1, 1 + n)),
        )


def test_officer_adds_rows_and_gets_every_error_at_once(list_a, officer_a):
    _fill(list_a, officer_a, 1)
    with pytest.raises(ValidationError) as caught:
        services.respondent_create(
            actor=officer_a,
            respondent_list=list_a,
            data=row_data(surname="", iin="123", sex=""),
        )
    assert set(caught.value.message_dict) == {"surname", "iin", "sex"}
    assert list_a.respondents.count() == 1


def test_form_refuses_a_duplicate_naming_the_listed_person(list_a, officer_a):
    first = services.respondent_create(actor=officer_a, respondent_list=list_a, data=row_data())
    with pytest.raises(ValidationError) as caught:
        services.respondent_create(
            actor=officer_a, respondent_list=list_a, data=row_data(iin=first.iin)
        )
    assert caught.value.error_dict["iin"][0].code == "duplicate_iin"
    assert first.full_name in caught.value.message_dict["iin"][0]


def test_officer_cannot_edit_another_institutions_list(list_b, officer_a):
    with pytest.raises(PermissionDenied):
        services.respondent_create(actor=officer_a, respondent_list=list_b, data=row_data())


def test_full_lifecycle_with_history(list_a, officer_a, department_user):
    _fill(list_a, officer_a)
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    list_a.refresh_from_db()
    assert list_a.status == ListStatus.SUBMITTED
    # Submitted lists are frozen for the officer.
    with pytest.raises(ValidationError):
        services.respondent_create(actor=officer_a, respondent_list=list_a, data=row_data())
    services.respondent_list_return(
        actor=department_user, respondent_list=list_a, comment="Бөлмелерді толтырыңыз"
    )
    list_a.refresh_from_db()
    assert list_a.status == ListStatus.RETURNED
    assert list_a.review_comment == "Бөлмелерді толтырыңыз"
    row = list_a.respondents.first()
    services.respondent_update(
        actor=officer_a,
        respondent=row,
        data={**row_data(birth_date=row.birth_date), "iin": row.iin, "unit": "7"},
    )
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    services.respondent_list_accept(actor=department_user, respondent_list=list_a)
    list_a.refresh_from_db()
    assert list_a.status == ListStatus.ACCEPTED
    history = list(selectors.respondent_list_history(respondent_list=list_a))
    assert [(t.from_status, t.to_status, t.actor) for t in history] == [
        (ListStatus.DRAFT, ListStatus.SUBMITTED, officer_a),
        (ListStatus.SUBMITTED, ListStatus.RETURNED, department_user),
        (ListStatus.RETURNED, ListStatus.SUBMITTED, officer_a),
        (ListStatus.SUBMITTED, ListStatus.ACCEPTED, department_user),
    ]
    assert history[1].comment == "Бөлмелерді толтырыңыз"
    with pytest.raises(ValidationError):
        services.respondent_delete(actor=officer_a, respondent=row)


def test_empty_list_cannot_be_submitted(list_a, officer_a):
    with pytest.raises(ValidationError) as caught:
        services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    assert caught.value.code == "list_empty"


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "commission_user", "department_user"])
def test_only_the_lists_officer_submits(request, list_a, officer_a, who):
    _fill(list_a, officer_a, 1)
    actor = request.getfixturevalue(who)
    if who == "officer_a":
        services.respondent_list_submit(actor=actor, respondent_list=list_a)
    else:
        with pytest.raises(PermissionDenied):
            services.respondent_list_submit(actor=actor, respondent_list=list_a)


@pytest.mark.parametrize("who", ["officer_a", "commission_user"])
def test_only_the_department_accepts_or_returns(request, list_a, officer_a, who):
    _fill(list_a, officer_a, 1)
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.respondent_list_accept(actor=actor, respondent_list=list_a)
    with pytest.raises(PermissionDenied):
        services.respondent_list_return(actor=actor, respondent_list=list_a, comment="x")


def test_return_needs_a_comment_and_draft_cannot_be_accepted(list_a, officer_a, department_user):
    with pytest.raises(ValidationError):
        services.respondent_list_accept(actor=department_user, respondent_list=list_a)
    _fill(list_a, officer_a, 1)
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    with pytest.raises(ValidationError) as caught:
        services.respondent_list_return(actor=department_user, respondent_list=list_a, comment=" ")
    assert "comment" in caught.value.message_dict
    list_a.refresh_from_db()
    assert list_a.status == ListStatus.SUBMITTED


def test_conflict_found_on_submit_and_resolved(
    list_a, list_b, officer_a, officer_b, department_user
):
    shared = row_data()
    services.respondent_create(actor=officer_a, respondent_list=list_a, data=shared)
    services.respondent_create(actor=officer_b, respondent_list=list_b, data=shared)
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    assert not DuplicateIinConflict.objects.exists()  # B's list is still a draft
    services.respondent_list_submit(actor=officer_b, respondent_list=list_b)
    conflict = DuplicateIinConflict.objects.get()
    assert conflict.iin == shared["iin"]
    assert {conflict.institution_a, conflict.institution_b} == {
        list_a.institution,
        list_b.institution,
    }
    assert {conflict.respondent_a.respondent_list, conflict.respondent_b.respondent_list} == {
        list_a,
        list_b,
    }
    # Found again on resubmission, but recorded once.
    services.respondent_list_return(actor=department_user, respondent_list=list_b, comment="?")
    services.respondent_list_submit(actor=officer_b, respondent_list=list_b)
    assert DuplicateIinConflict.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.conflict_resolve(
            actor=officer_a, conflict=conflict, decision=ConflictDecision.BELONGS_TO_A, note="x"
        )
    with pytest.raises(ValidationError):
        services.conflict_resolve(
            actor=department_user, conflict=conflict, decision="merge", note=""
        )
    services.conflict_resolve(
        actor=department_user,
        conflict=conflict,
        decision=ConflictDecision.BOTH_LEGITIMATE,
        note="Уақытша жоқ — емделуде",
    )
    conflict.refresh_from_db()
    assert conflict.resolved_by == department_user
    assert not conflict.is_open
    assert Respondent.objects.filter(iin=shared["iin"]).count() == 2  # nothing merged


@time_machine.travel(dt.datetime(2021, 7, 15, 12, tzinfo=dt.UTC))
def test_amendments_reflected_in_both_derived_lists(list_a, officer_a, department_user):
    _fill(list_a, officer_a, 2)
    leaver = list_a.respondents.order_by("pk").first()
    with pytest.raises(ValidationError):
        services.respondent_record_departure(
            actor=officer_a, respondent=leaver, departed_on=dt.date(2021, 7, 1), reason="left"
        )
    services.respondent_list_submit(actor=officer_a, respondent_list=list_a)
    services.respondent_list_accept(actor=department_user, respondent_list=list_a)
    services.respondent_record_departure(
        actor=officer_a, respondent=leaver, departed_on=dt.date(2021, 7, 1), reason="died"
    )
    born = dt.date(1999, 9, 9)
    arrival = services.respondent_add_arrival(
        actor=officer_a,
        respondent_list=list_a,
        data=row_data(birth_date=born, sex="female", iin=make_iin(born, "female"), surname="Жаңа"),
        arrived_on=dt.date(2021, 7, 10),
    )
    with pytest.raises(ValidationError) as caught:
        services.respondent_add_arrival(
            actor=officer_a,
            respondent_list=list_a,
            data=row_data(birth_date=dt.date(1980, 1, 1)),
            arrived_on=dt.date(2021, 5, 1),  # before the reference date
        )
    assert "arrived_on" in caught.value.message_dict
    as_of = set(selectors.respondents_as_of_reference_date(user=officer_a, respondent_list=list_a))
    current = set(selectors.respondents_current(user=officer_a, respondent_list=list_a))
    assert as_of == {leaver, list_a.respondents.exclude(pk__in=[leaver.pk, arrival.pk]).get()}
    assert current == {arrival, list_a.respondents.exclude(pk__in=[leaver.pk, arrival.pk]).get()}
    assert list_a.amendments.count() == 2


def test_counts_by_category(list_a, officer_a):
    _fill(list_a, officer_a, 2)
    services.respondent_create(
        actor=officer_a,
        respondent_list=list_a,
        data=row_data(iin="", citizenship="stateless", residence_status="temporarily_absent"),
    )
    counts = selectors.respondent_list_counts(respondents=list_a.respondents.all())
    assert counts["total"] == 3
    assert counts["citizenship_stateless"] == 1
    assert counts["residence_temporarily_absent"] == 1
    assert counts["without_iin"] == 1


def test_search_folds_kazakh_letters(list_a, officer_a):
    services.respondent_create(
        actor=officer_a,
        respondent_list=list_a,
        data=row_data(surname="Өмірзақова", sex="female", iin="", iin_absent_reason="жоқ"),
    )
    _fill(list_a, officer_a, 1)
    found = selectors.respondent_search(user=officer_a, respondent_list=list_a, query="ӨМІРЗАҚ")
    assert [r.surname for r in found] == ["Өмірзақова"]
