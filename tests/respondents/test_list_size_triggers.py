"""The triggers that keep ``ListSize`` survive every migration, on both databases.

SQLite rebuilds a table to add a column with a default, and the rebuild drops the table's
triggers: a migration that changes the respondents table must create them again (0010
does). Run on PostgreSQL and, in the SQLite part of ``make test``, on the embedded default.
"""

import pytest
from django.db import connection

from respondents.models import ListSize
from tests.respondents.factories import RespondentFactory, RespondentListFactory

pytestmark = pytest.mark.django_db

TRIGGERS = {
    "respondent_list_size_insert",
    "respondent_list_size_delete",
    "respondent_list_size_update",
}


def _triggers_on_respondents() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["respondents_respondent"],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                ["respondents_respondent"],
            )
        return {name for (name,) in cursor.fetchall()}


def test_the_list_size_triggers_exist_after_every_migration():
    assert _triggers_on_respondents() >= TRIGGERS


def test_a_new_list_counts_its_first_and_second_person(institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    RespondentFactory(respondent_list=respondent_list)
    assert ListSize.objects.get(respondent_list=respondent_list).rows == 1
    second = RespondentFactory(respondent_list=respondent_list)
    assert ListSize.objects.get(respondent_list=respondent_list).rows == 2
    second.delete()
    assert ListSize.objects.get(respondent_list=respondent_list).rows == 1
