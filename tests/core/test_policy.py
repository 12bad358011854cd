"""The one policy (census_coord.policy): docs/PERMISSIONS.md is its current table, every
rule answers each role as the table says, and object rules narrow to the actor's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.views import View

from census_coord.policy import (
    RULES,
    TABLE_ACTORS,
    RuleRequiredMixin,
    allowed,
    render_table,
    require,
)
from tests.factories import ApiClientFactory, UserFactory
from tests.respondents.factories import RespondentFactory, RespondentListFactory

PERMISSIONS_MD = Path(settings.BASE_DIR) / "docs" / "PERMISSIONS.md"


def _table() -> dict[str, dict[str, bool]]:
    """The cells of docs/PERMISSIONS.md: rule -> column label -> allowed."""
    labels = [label for label, _role, _bound in TABLE_ACTORS]
    rows = {}
    for line in PERMISSIONS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            answers = [cell == "yes" for cell in cells[2:]]
            rows[cells[0].strip("`")] = dict(zip(labels, answers, strict=True))
    return rows


def test_permissions_doc_is_the_current_table_of_the_policy():
    assert PERMISSIONS_MD.read_text(encoding="utf-8") == render_table(), (
        "docs/PERMISSIONS.md is stale: run `manage.py policy_table`."
    )


def test_the_table_has_a_row_for_every_rule_with_a_description():
    assert set(_table()) == set(RULES)
    assert all(rule.description for rule in RULES.values())


@pytest.fixture
def actors(department_user, commission_user, officer_a, api_client_a):
    """Real accounts for the table's columns, in its order."""
    return dict(
        zip(
            [label for label, _role, _bound in TABLE_ACTORS],
            [
                department_user,
                commission_user,
                officer_a,
                api_client_a,
                ApiClientFactory(username="census_system"),
                AnonymousUser(),
            ],
            strict=True,
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("rule", list(RULES))
def test_each_role_gets_what_the_table_says(rule, actors):
    expected = _table()[rule]
    got = {label: allowed(actor, rule) for label, actor in actors.items()}
    assert got == expected


@pytest.mark.django_db
def test_row_rules_stop_at_the_actors_institution(
    officer_a, api_client_a, department_user, commission_user, institution_a, institution_b
):
    list_a = RespondentListFactory(institution=institution_a)
    list_b = RespondentListFactory(institution=institution_b)
    person_a = RespondentFactory(respondent_list=list_a)
    for rule in ("respondent.view_personal", "list.edit_rows", "import.start"):
        assert allowed(officer_a, rule, list_a)
        assert allowed(api_client_a, rule, list_a)
        assert not allowed(officer_a, rule, list_b)
        assert not allowed(api_client_a, rule, list_b)
        assert allowed(department_user, rule, list_b)
        assert not allowed(commission_user, rule, list_a)
    assert allowed(officer_a, "enumeration.record", person_a)
    assert allowed(officer_a, "certificate.issue", person_a)
    assert not allowed(api_client_a, "certificate.issue", person_a)
    assert allowed(api_client_a, "certificate.view", person_a)


@pytest.mark.django_db
def test_only_the_lists_own_officer_submits_and_only_the_department_reviews(
    officer_a, officer_b, department_user, institution_a
):
    list_a = RespondentListFactory(institution=institution_a)
    assert allowed(officer_a, "list.submit", list_a)
    assert not allowed(officer_b, "list.submit", list_a)
    assert not allowed(department_user, "list.submit", list_a)
    assert allowed(department_user, "list.review", list_a)
    assert not allowed(officer_a, "list.review", list_a)
    assert allowed(officer_a, "list.open", institution_a)
    assert not allowed(officer_b, "list.open", institution_a)


@pytest.mark.django_db
def test_a_superuser_acts_as_the_department_not_as_everyone(institution_a):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    list_a = RespondentListFactory(institution=institution_a)
    assert allowed(superuser, "list.review", list_a)
    # user.has_perm would say yes to everything; the policy does not.
    assert not allowed(superuser, "list.submit", list_a)
    assert superuser.has_perm("list.submit")


@pytest.mark.django_db
def test_the_admin_model_permissions_are_not_changed_by_the_rules(
    commission_user, officer_a, department_user
):
    assert commission_user.has_perm("respondents.view_respondentlist")
    assert not commission_user.has_perm("respondents.change_respondentlist")
    assert not officer_a.has_perm("respondents.view_respondentlist")
    assert department_user.has_perm("respondents.change_respondentlist")


@pytest.mark.django_db
def test_services_are_refused_with_permission_denied(commission_user, department_user):
    with pytest.raises(PermissionDenied):
        require(commission_user, "list.review")
    require(department_user, "list.review")
    with pytest.raises(KeyError):
        require(department_user, "no.such_rule")
    assert not allowed(department_user, "no.such_rule")
    assert not allowed(AnonymousUser(), "list.board")


@pytest.mark.django_db
def test_templates_ask_the_policy_with_one_tag(officer_a, department_user, institution_a):
    list_a = RespondentListFactory(institution=institution_a)
    page = Template('{% load policy %}{% allowed "list.submit" obj as may %}{{ may }}')
    request = RequestFactory().get("/")
    request.user = officer_a
    assert page.render(Context({"request": request, "obj": list_a})) == "True"
    request.user = department_user
    assert page.render(Context({"request": request, "obj": list_a})) == "False"


@pytest.mark.django_db
def test_class_based_views_ask_the_policy_through_the_mixin(commission_user, department_user):
    class Review(RuleRequiredMixin, View):
        rule = "list.review"

        def get(self, request):
            return HttpResponse("review")

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert Review.as_view()(request).status_code == 302
    request.user = commission_user
    with pytest.raises(PermissionDenied):
        Review.as_view()(request)
    request.user = department_user
    assert Review.as_view()(request).content == b"review"
