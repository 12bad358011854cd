"""The lists board's bulk review: accept or return the selected lists, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from institutions.models import Region
from respondents.choices import ListStatus
from respondents.models import ListTransition, RespondentList
from respondents.review_services import respondent_lists_review
from tests.factories import DepartmentUserFactory, InstitutionFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory

BOARD = "respondents:board"
REVIEW = "respondents:board_review"


def _submitted(name: str) -> RespondentList:
    institution = InstitutionFactory(name_kk=name, name_ru=name)
    respondent_list = RespondentListFactory(institution=institution, status=ListStatus.SUBMITTED)
    RespondentFactory(respondent_list=respondent_list)
    return respondent_list


def _statuses(*lists: RespondentList) -> list[str]:
    return [RespondentList.objects.get(pk=item.pk).status for item in lists]


def _other_region_department():
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    return DepartmentUserFactory(username="other_region_dept", region=elsewhere)


@pytest.mark.django_db
def test_accepting_the_selected_lists_shows_them_accepted_on_the_board(client_en, department_user):
    first, second, untouched = (
        _submitted("Alpha home"),
        _submitted("Beta home"),
        _submitted("Gamma"),
    )
    client = client_en(department_user)
    response = client.post(
        reverse(REVIEW), {"selected": [first.pk, second.pk], "decision": "accept"}, follow=True
    )
    page = response.content.decode()
    assert "2 lists accepted." in page
    assert _statuses(first, second, untouched) == ["accepted", "accepted", "submitted"]
    events = AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="respondents.respondentlist"
    )
    assert sorted(int(e.object_id) for e in events) == sorted([first.pk, second.pk])
    assert all(e.extra == {"decision": "accept"} for e in events)
    # The board now offers only the one still submitted for selection.
    board = client.get(reverse(BOARD)).content.decode()
    assert f'value="{untouched.pk}" id="list-{untouched.pk}"' in board
    assert f'id="list-{first.pk}"' not in board


@pytest.mark.django_db
def test_returning_the_selected_lists_gives_each_the_one_comment(client_en, department_user):
    first, second = _submitted("Alpha home"), _submitted("Beta home")
    response = client_en(department_user).post(
        reverse(REVIEW),
        {"selected": [first.pk, second.pk], "decision": "return", "comment": "Add the units"},
        follow=True,
    )
    assert "2 lists returned to their institutions." in response.content.decode()
    assert _statuses(first, second) == ["returned", "returned"]
    assert [RespondentList.objects.get(pk=i.pk).review_comment for i in (first, second)] == [
        "Add the units",
        "Add the units",
    ]
    assert ListTransition.objects.filter(to_status="returned", comment="Add the units").count() == 2


@pytest.mark.django_db
def test_returning_without_a_comment_changes_nothing(client_en, department_user):
    first = _submitted("Alpha home")
    response = client_en(department_user).post(
        reverse(REVIEW), {"selected": [first.pk], "decision": "return"}, follow=True
    )
    assert "Say what must be corrected." in response.content.decode()
    assert _statuses(first) == ["submitted"]


@pytest.mark.django_db
def test_one_list_not_submitted_refuses_all_and_is_named(client_en, department_user):
    first, second = _submitted("Alpha home"), _submitted("Beta home")
    draft = RespondentListFactory(
        institution=InstitutionFactory(name_kk="Draft home", name_ru="Draft home"),
        status=ListStatus.DRAFT,
    )
    response = client_en(department_user).post(
        reverse(REVIEW),
        {"selected": [first.pk, draft.pk, second.pk], "decision": "accept"},
        follow=True,
    )
    page = response.content.decode()
    assert "Draft home: the list is “Draft”, only a submitted list is reviewed." in page
    assert "Alpha home:" not in page
    assert _statuses(first, second, draft) == ["submitted", "submitted", "draft"]
    assert not ListTransition.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


@pytest.mark.django_db
def test_another_regions_department_touches_nothing(client_en):
    first = _submitted("Alpha home")
    outsider = _other_region_department()
    response = client_en(outsider).post(
        reverse(REVIEW), {"selected": [first.pk], "decision": "accept"}, follow=True
    )
    assert "1 selected list cannot be found among yours." in response.content.decode()
    assert _statuses(first) == ["submitted"]
    assert "Alpha home" not in client_en(outsider).get(reverse(BOARD)).content.decode()


@pytest.mark.django_db
def test_officer_and_commission_cannot_review_in_bulk(client_for, officer_a, commission_user):
    first = _submitted("Alpha home")
    for user in (officer_a, commission_user):
        response = client_for(user).post(
            reverse(REVIEW), {"selected": [first.pk], "decision": "accept"}
        )
        assert response.status_code == 403
    assert _statuses(first) == ["submitted"]
    # The commission's board has no checkboxes.
    board = client_for(commission_user).get(reverse(BOARD)).content.decode()
    assert reverse(REVIEW) not in board


@pytest.mark.django_db
def test_the_service_refuses_a_commission_member(commission_user):
    first = _submitted("Alpha home")
    with pytest.raises(PermissionDenied):
        respondent_lists_review(
            actor=commission_user, respondent_list_ids=[first.pk], decision="accept"
        )


@pytest.mark.django_db
def test_nothing_selected_is_an_error(department_user):
    with pytest.raises(ValidationError) as error:
        respondent_lists_review(actor=department_user, respondent_list_ids=[], decision="accept")
    assert error.value.code == "nothing_selected"
