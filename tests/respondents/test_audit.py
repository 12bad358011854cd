"""Reading and changing people on a list leaves audit rows; searched text never does."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from respondents import services
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def _form(data):
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


@pytest.fixture
def list_a(officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(
        actor=officer_a,
        respondent_list=respondent_list,
        data=row_data(surname="Әлиева", sex="female", birth_date=dt.date(1955, 4, 2)),
    )
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    return respondent_list


def _events(user):
    """What the user did after signing in (the test's data, made through the services
    before, is on the trail too)."""
    events = AuditEvent.objects.filter(actor=user).order_by("pk")
    login = events.filter(action=AuditAction.LOGIN).last()
    return events.filter(pk__gt=login.pk) if login else events


def test_opening_a_list_records_a_view_of_it(client_for, officer_a, list_a):
    client_for(officer_a).get(reverse("respondents:list_detail", args=[list_a.pk]))
    event = _events(officer_a).get()
    assert event.action == AuditAction.VIEW
    assert event.object_type == "respondents.respondentlist"
    assert event.object_id == str(list_a.pk)
    assert event.record_count == 2
    assert event.institution == officer_a.institution
    assert event.route == "respondents:list_detail"


def test_search_records_filter_names_never_the_text(client_for, officer_a, list_a):
    iin = list_a.respondents.get(surname="Әлиева").iin
    client = client_for(officer_a)
    url = reverse("respondents:list_detail", args=[list_a.pk])
    for text in ("Әлиева", iin):
        client.post(url, {"q": text})
        client.get(url, {"citizenship": "citizen"})
    searches = _events(officer_a).filter(action=AuditAction.SEARCH)
    assert [event.extra for event in searches] == [{"filters": ["citizenship", "query"]}] * 2
    assert [event.record_count for event in searches] == [1, 1]
    trail = str(list(AuditEvent.objects.values()))
    assert "Әлиева" not in trail
    assert "әлиева" not in trail
    assert iin not in trail


@pytest.mark.parametrize("view", ["reference", "current"])
def test_export_records_which_list_and_how_many_rows(client_for, officer_a, list_a, view):
    response = client_for(officer_a).post(
        reverse("respondents:export", args=[list_a.pk]), {"view": view, "format": "xlsx"}
    )
    assert response.status_code == 200
    event = _events(officer_a).get()
    assert event.action == AuditAction.EXPORT
    assert event.object_id == str(list_a.pk)
    assert event.record_count == 2
    assert event.extra == {"view": view, "format": "xlsx"}


def test_editing_a_person_records_the_view_and_the_change(client_for, officer_a, list_a):
    row = list_a.respondents.get(surname="Әлиева")
    client = client_for(officer_a)
    url = reverse("respondents:row_edit", args=[list_a.pk, row.pk])
    assert client.get(url).status_code == 200
    data = {name: getattr(row, name) for name in services.ROW_FIELDS} | {"unit": "7"}
    response = client.post(url, _form(data))
    assert response.status_code == 302
    events = list(_events(officer_a))
    assert [event.action for event in events] == [AuditAction.VIEW, AuditAction.CHANGE]
    for event in events:
        assert event.object_type == "respondents.respondent"
        assert event.object_id == str(row.pk)
        assert event.institution == officer_a.institution


def test_deleting_a_person_records_which_row(client_for, officer_a, list_a):
    row = list_a.respondents.get(surname="Әлиева")
    url = reverse("respondents:row_delete", args=[list_a.pk, row.pk])
    client_for(officer_a).post(url)
    event = _events(officer_a).get()
    assert event.action == AuditAction.DELETE
    assert event.object_id == str(row.pk)
    assert not list_a.respondents.filter(pk=row.pk).exists()


def test_department_browsing_the_admin_is_audited(client_for, department_user, list_a):
    client = client_for(department_user)
    # An old ?q= link: moved to the session, then the list is shown (and audited) once.
    client.get(reverse("admin:respondents_respondent_changelist"), {"q": "Әлиева"}, follow=True)
    row = list_a.respondents.get(surname="Әлиева")
    client.get(reverse("admin:respondents_respondent_change", args=[row.pk]))
    events = list(_events(department_user))
    assert [event.action for event in events] == [AuditAction.SEARCH, AuditAction.VIEW]
    assert events[0].extra == {"filters": ["q"]}
    assert events[1].institution == list_a.institution
