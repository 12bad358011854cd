"""The admin in Kazakh on data of the test's own (test_no_raw_codes.py reads the shared demo):
Django's calendar catalogue, and a multiple choice saved by its label."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_calendar_reads_in_kazakh(client_for, department_user):
    department_user.language = "kk"
    department_user.save(update_fields=["language"])
    catalogue = client_for(department_user).get(reverse("admin:jsi18n")).content.decode()
    for word in ("Қаңтар", "Жексенбі", "Күнді таңдаңыз", "Уақытты таңдаңыз"):
        assert json.dumps(word) in catalogue, word  # the catalogue is JSON-escaped


def test_admin_saves_preferred_methods_chosen_by_label(client_for, department_user, institution_a):
    url = reverse("admin:institutions_institution_change", args=[institution_a.pk])
    client = client_for(department_user)
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, dict))
    }
    data.update(
        {
            "type": institution_a.type_id,
            "district": institution_a.district_id,
            "preferred_methods": ["tablet", "admin_records"],
            "staff-TOTAL_FORMS": "0",
            "staff-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution_a.refresh_from_db()
    assert sorted(institution_a.preferred_methods) == ["admin_records", "tablet"]
