"""Possible duplicates of people without IIN across institutions (issue 19 item 6): the
conflict queue finds them with the one rule of ``respondents.matching``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from institutions.models import Region
from respondents import services
from respondents.choices import ConflictDecision, ConflictKind
from respondents.models import DuplicateIinConflict, RespondentNameKey
from tests.factories import DepartmentUserFactory, InstitutionFactory, OfficerFactory
from tests.respondents.factories import RespondentListFactory, make_iin, row_data

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 6, 2)


def foreigner(**overrides):
    """A foreign citizen without IIN."""
    values = {
        "surname": "Жұмабаев",
        "given_name": "Дәурен",
        "patronymic": "",
        "birth_date": BORN,
        "citizenship": "foreign",
        "citizenship_country": "Өзбекстан",
        "iin": "",
        "iin_absent_reason": "Шетел азаматы",
    }
    values.update(overrides)
    return row_data(**values)


def _submitted(officer, *rows):
    respondent_list = RespondentListFactory(institution=officer.institution)
    for row in rows:
        services.respondent_create(actor=officer, respondent_list=respondent_list, data=row)
    services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
    return respondent_list


def test_the_same_person_without_iin_at_two_institutions_is_one_possible_conflict(
    officer_a, officer_b
):
    list_a = _submitted(officer_a, foreigner())
    assert not DuplicateIinConflict.objects.exists()
    list_b = _submitted(officer_b, foreigner())
    conflict = DuplicateIinConflict.objects.get()
    assert conflict.kind == ConflictKind.POSSIBLE
    assert conflict.iin == ""
    assert conflict.evidence == {
        "surname": "exact",
        "given_name": "exact",
        "birth_date": "exact",
        "match": "exact",
    }
    assert not conflict.is_variant
    assert {conflict.respondent_a.respondent_list, conflict.respondent_b.respondent_list} == {
        list_a,
        list_b,
    }
    assert conflict.institution_a_id < conflict.institution_b_id
    assert conflict.respondent_a.respondent_list.institution_id == conflict.institution_a_id


def test_a_kazakh_russian_variant_spelling_is_possible_and_marked_variant(officer_a, officer_b):
    _submitted(officer_a, foreigner())
    _submitted(officer_b, foreigner(surname="Жумабаев", given_name="Даурен"))
    conflict = DuplicateIinConflict.objects.get()
    assert conflict.kind == ConflictKind.POSSIBLE
    assert conflict.evidence == {
        "surname": "variant",
        "given_name": "variant",
        "birth_date": "exact",
        "match": "variant",
    }
    assert conflict.is_variant


def test_a_latin_transliteration_is_a_variant_with_the_other_part_exact(officer_a, officer_b):
    _submitted(officer_a, foreigner(surname="Каримов", given_name="Бахтиёр"))
    _submitted(officer_b, foreigner(surname="Karimov", given_name="Бахтиёр"))
    conflict = DuplicateIinConflict.objects.get()
    assert conflict.evidence["surname"] == "variant"
    assert conflict.evidence["given_name"] == "exact"
    assert conflict.evidence["match"] == "variant"


def test_a_different_birth_date_is_no_conflict(officer_a, officer_b):
    _submitted(officer_a, foreigner())
    _submitted(officer_b, foreigner(birth_date=BORN + dt.timedelta(days=1)))
    assert not DuplicateIinConflict.objects.exists()


def test_the_same_institution_is_no_cross_institution_conflict(officer_a):
    # Two spellings of one person on one list: the in-list check's business, not the queue's.
    _submitted(officer_a, foreigner(), foreigner(surname="Жумабаев", given_name="Даурен"))
    assert not DuplicateIinConflict.objects.exists()


def test_two_different_iins_decide_and_one_missing_iin_is_possible(officer_a, officer_b):
    # Same names and birth date, both with (different) IINs: different people.
    with_iin = row_data(surname="Сейітов", given_name="Арман", birth_date=BORN)
    _submitted(officer_a, with_iin)
    _submitted(officer_b, dict(with_iin, iin=make_iin(BORN)))
    assert not DuplicateIinConflict.objects.exists()
    # The same person listed without IIN at a third institution: possible with both.
    officer_c = OfficerFactory(username="officer_c", institution=InstitutionFactory())
    without = foreigner(
        surname="Сейітов",
        given_name="Арман",
        citizenship="citizen",
        citizenship_country="",
        iin_absent_reason="Белгісіз",
    )
    list_c = _submitted(officer_c, without)
    conflicts = DuplicateIinConflict.objects.all()
    assert [c.kind for c in conflicts] == [ConflictKind.POSSIBLE] * 2
    assert all(list_c.institution_id in (c.institution_a_id, c.institution_b_id) for c in conflicts)


def test_found_twice_is_one_conflict_and_resolves_like_an_iin_one(
    officer_a, officer_b, department_user
):
    _submitted(officer_a, foreigner())
    list_b = _submitted(officer_b, foreigner())
    services.respondent_list_return(actor=department_user, respondent_list=list_b, comment="?")
    services.respondent_list_submit(actor=officer_b, respondent_list=list_b)
    assert services.conflicts_detect(respondent_list=list_b) == 0
    conflict = DuplicateIinConflict.objects.get()
    with pytest.raises(PermissionDenied):
        services.conflict_resolve(
            actor=officer_a, conflict=conflict, decision=ConflictDecision.BELONGS_TO_A, note="x"
        )
    services.conflict_resolve(
        actor=department_user,
        conflict=conflict,
        decision=ConflictDecision.BOTH_LEGITIMATE,
        note="Екі түрлі адам",
    )
    conflict.refresh_from_db()
    assert conflict.decision == ConflictDecision.BOTH_LEGITIMATE
    assert conflict.resolved_by == department_user
    # Still one after another detection; the decision stays.
    services.conflicts_detect(respondent_list=list_b)
    assert DuplicateIinConflict.objects.get().decision == ConflictDecision.BOTH_LEGITIMATE


def test_a_row_corrected_while_returned_is_compared_as_it_reads_now(
    officer_a, officer_b, department_user
):
    _submitted(officer_a, foreigner())
    list_b = _submitted(officer_b, foreigner(surname="Петров"))
    assert not DuplicateIinConflict.objects.exists()
    services.respondent_list_return(actor=department_user, respondent_list=list_b, comment="?")
    row = list_b.respondents.get()
    services.respondent_update(actor=officer_b, respondent=row, data=foreigner())
    services.respondent_list_submit(actor=officer_b, respondent_list=list_b)
    assert DuplicateIinConflict.objects.get().kind == ConflictKind.POSSIBLE
    assert RespondentNameKey.objects.get(respondent=row).exact_key.startswith("жұмабаев|")


def test_an_arrival_without_iin_is_checked_too(officer_a, officer_b, department_user):
    _submitted(officer_a, foreigner())
    list_b = _submitted(officer_b, row_data())
    services.respondent_list_accept(actor=department_user, respondent_list=list_b)
    campaign = list_b.campaign
    services.respondent_add_arrival(
        actor=officer_b,
        respondent_list=list_b,
        data=foreigner(),
        arrived_on=campaign.list_reference_date + dt.timedelta(days=1),
    )
    assert DuplicateIinConflict.objects.get().kind == ConflictKind.POSSIBLE


def test_name_keys_are_stored_for_submitted_lists_only(officer_a, officer_b):
    _submitted(officer_a, foreigner())
    draft = RespondentListFactory(institution=officer_b.institution)
    services.respondent_create(actor=officer_b, respondent_list=draft, data=foreigner())
    assert RespondentNameKey.objects.count() == 1
    assert not RespondentNameKey.objects.filter(respondent__respondent_list=draft).exists()


def test_the_queue_shows_possible_with_its_evidence_and_filters_by_kind(
    client_en, officer_a, officer_b, department_user
):
    shared_iin = row_data()
    _submitted(officer_a, foreigner(), shared_iin)
    _submitted(officer_b, foreigner(surname="Жумабаев"), shared_iin)
    assert DuplicateIinConflict.objects.count() == 2
    client = client_en(department_user)
    page = client.get(reverse("respondents:conflicts")).content.decode()
    assert "Possible duplicate" in page
    assert "Same IIN" in page
    assert "Surname: variant spelling" in page
    assert "Given name: same spelling" in page
    assert "Birth date: the same" in page
    assert shared_iin["iin"] in page
    possible = client.get(reverse("respondents:conflicts"), {"kind": "possible"})
    assert [c.kind for c in possible.context["page"]] == [ConflictKind.POSSIBLE]
    assert shared_iin["iin"] not in possible.content.decode()
    by_iin = client.get(reverse("respondents:conflicts"), {"kind": "iin"})
    assert [c.kind for c in by_iin.context["page"]] == [ConflictKind.IIN]
    conflict = DuplicateIinConflict.objects.get(kind=ConflictKind.POSSIBLE)
    url = reverse("respondents:conflict_resolve", args=[conflict.pk])
    detail = client.get(url).content.decode()
    assert "Possible duplicate" in detail
    assert "variant spelling" in detail
    assert "Жумабаев" in detail
    assert "Жұмабаев" in detail
    response = client.post(url, {"decision": "belongs_to_b", "note": "Бір адам"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.decision == "belongs_to_b"


def test_another_regions_department_sees_nothing_and_an_officer_gets_403(
    client_en, officer_a, officer_b
):
    _submitted(officer_a, foreigner())
    _submitted(officer_b, foreigner())
    conflict = DuplicateIinConflict.objects.get()
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = DepartmentUserFactory(username="other_region_dept", region=elsewhere)
    client = client_en(outsider)
    response = client.get(reverse("respondents:conflicts"), {"kind": "possible"})
    assert list(response.context["page"]) == []
    assert "Жұмабаев" not in response.content.decode()
    url = reverse("respondents:conflict_resolve", args=[conflict.pk])
    assert client.get(url).status_code == 404
    officer = client_en(officer_a)
    assert officer.get(reverse("respondents:conflicts")).status_code == 403
    assert officer.get(url).status_code == 403
