import io

import pytest
from django.core.management import call_command

from respondents.choices import ListStatus
from respondents.models import Amendment, DuplicateIinConflict, Respondent, RespondentList
from respondents.validation import validate_rows

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_demo_lists_are_varied_valid_and_idempotent(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    counts = (RespondentList.objects.count(), Respondent.objects.count(), Amendment.objects.count())
    assert set(RespondentList.objects.values_list("status", flat=True)) == set(ListStatus.values)
    assert counts[1] >= 2000
    assert counts[2] > 0
    assert DuplicateIinConflict.objects.count() >= 2
    # A person without IIN on two lists, spelt the Russian way on one: a possible duplicate.
    possible = DuplicateIinConflict.objects.get(kind="possible")
    assert possible.evidence["match"] == "variant"
    rows = Respondent.objects.filter(respondent_list__status=ListStatus.DRAFT).values(
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "sex",
        "citizenship",
        "citizenship_country",
        "iin",
        "iin_absent_reason",
        "residence_status",
    )
    _results, errors = validate_rows(
        rows, reference_date=RespondentList.objects.first().campaign.list_reference_date
    )
    assert errors == []
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        RespondentList.objects.count(),
        Respondent.objects.count(),
        Amendment.objects.count(),
    ) == counts
