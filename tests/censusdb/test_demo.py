"""The demo's census-database export: every outcome present, and seeding twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from censusdb.models import CensusExport, CensusRecord, CensusReview

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_seed_demo_imports_an_export_with_every_outcome_once(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    records = CensusRecord.objects.filter(form_number__startswith="DEMO-")
    assert set(records.values_list("state", flat=True)) == {"applied", "review", "not_listed"}
    assert set(records.values_list("match_kind", flat=True)) >= {"iin", "exact"}
    assert records.filter(match_scope="region", state="applied").exists()  # another BIN
    kinds = set(CensusReview.objects.values_list("kind", flat=True))
    assert kinds == {"variant", "ambiguous", "conflict"}
    assert CensusExport.objects.get().state == "done"
    call_command("seed_demo", stdout=io.StringIO())
    assert CensusExport.objects.count() == 1
    assert CensusRecord.objects.count() == records.count()
