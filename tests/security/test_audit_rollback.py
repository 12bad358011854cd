"""A change and its audit event commit together: when the audit row cannot be written,
the change is rolled back, whichever entry point asked for it."""

import pytest
from django.db import DatabaseError, connection

from enumeration.models import Enumeration
from enumeration.progress_services import progress_refresh
from respondents import services
from respondents.choices import ListStatus
from respondents.models import ListTransition, Respondent
from tests.enumeration.stage2 import ONLINE_DAY, accepted_list, people
from tests.factories import api_token_key
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def audit_inserts_fail() -> None:
    """From now on the audit table refuses every new row, as a full disk or a lost grant
    would. Created inside the test's transaction, the trigger goes away with its rollback."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.audit_down() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit trail unavailable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.audit_down()"
        )


def test_a_row_whose_audit_fails_is_not_added(officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    audit_inserts_fail()
    with pytest.raises(DatabaseError, match="audit trail unavailable"):
        services.respondent_create(
            actor=officer_a, respondent_list=respondent_list, data=row_data()
        )
    assert not Respondent.objects.filter(respondent_list=respondent_list).exists()


def test_a_submission_whose_audit_fails_leaves_the_list_a_draft(officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    audit_inserts_fail()
    with pytest.raises(DatabaseError, match="audit trail unavailable"):
        services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    respondent_list.refresh_from_db()
    assert respondent_list.status == ListStatus.DRAFT
    assert respondent_list.submitted_at is None
    assert not ListTransition.objects.filter(respondent_list=respondent_list).exists()


def test_an_enumeration_batch_over_rest_whose_audit_fails_records_no_outcome(client, api_client_a):
    respondent_list = accepted_list(api_client_a.institution)
    persons = people(respondent_list, 2)
    progress_refresh(respondent_list_ids=[respondent_list.pk])
    key = api_token_key(api_client_a)
    audit_inserts_fail()
    with pytest.raises(DatabaseError, match="audit trail unavailable"):
        client.post(
            "/api/v1/enumerations/batch/",
            {
                "updates": [
                    {
                        "respondent_id": person.pk,
                        "status": "enumerated",
                        "method": "online_self",
                        "enumerated_on": ONLINE_DAY.isoformat(),
                    }
                    for person in persons
                ]
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )
    assert not Enumeration.objects.filter(respondent__in=persons).exists()
