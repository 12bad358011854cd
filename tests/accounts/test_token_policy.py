"""Who may hold, issue and revoke API tokens (census_coord.policy: token.issue/revoke).

Only API-client accounts hold tokens; a department user issues them for clients of their
own region, an officer for their own institution's client; a token's every audit event
names the token."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_issue, api_token_revoke
from audit.models import AuditAction, AuditEvent
from census_coord.policy import allowed
from institutions.models import District, Region
from tests.factories import (
    ApiClientFactory,
    CommissionUserFactory,
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
    UserFactory,
    api_token_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_region(institution_a):
    return institution_a.district.region


@pytest.fixture
def other_region(db):
    region = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    District.objects.create(
        region=region, code="elsewhere-d", name_kk="Аудан", name_ru="Район", name_en="District"
    )
    return region


@pytest.fixture
def regional_department_user(home_region):
    return DepartmentUserFactory(username="dept_akmola", region=home_region)


def _refused(actor, holder):
    with pytest.raises(ValidationError) as error:
        api_token_issue(actor=actor, user=holder, name="МИС")
    assert error.value.code == "token_holder_not_allowed"
    assert not ApiToken.objects.filter(user=holder).exists()


def test_department_user_cannot_issue_a_token_for_a_superuser(regional_department_user):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    _refused(regional_department_user, root)


def test_department_user_cannot_issue_a_token_for_another_regions_user(
    regional_department_user, other_region
):
    _refused(regional_department_user, DepartmentUserFactory(region=other_region))


def test_department_user_cannot_issue_for_commission_officer_or_department_staff(
    regional_department_user, commission_user, officer_a
):
    colleague = DepartmentUserFactory(region=regional_department_user.region)
    for person in (commission_user, officer_a, colleague, regional_department_user):
        _refused(regional_department_user, person)


def test_department_user_cannot_issue_for_another_regions_api_client(
    regional_department_user, other_region
):
    their_institution = InstitutionFactory(district=other_region.districts.get())
    _refused(regional_department_user, ApiClientFactory(institution=their_institution))
    _refused(regional_department_user, ApiClientFactory(region=other_region))


def test_an_api_client_account_that_is_also_staff_holds_no_token(regional_department_user):
    admin_like = ApiClientFactory(region=regional_department_user.region, is_staff=True)
    _refused(regional_department_user, admin_like)


def test_department_user_issues_for_clients_of_own_region(
    regional_department_user, api_client_a, home_region
):
    census_system = ApiClientFactory(username="census_system", region=home_region)
    for client_account in (api_client_a, census_system):
        token, _key = api_token_issue(
            actor=regional_department_user, user=client_account, name="МИС"
        )
        assert token.user == client_account


def test_officer_and_commission_cannot_issue_for_anyone_but_their_client(
    officer_a, commission_user, api_client_a, institution_b
):
    _refused(commission_user, api_client_a)
    _refused(officer_a, officer_a)
    _refused(officer_a, ApiClientFactory(institution=institution_b))
    _refused(officer_a, ApiClientFactory())  # department-wide


def test_superuser_is_held_to_the_same_rule(institution_a, officer_a):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    _refused(root, officer_a)
    assert allowed(root, "token.issue", ApiClientFactory(institution=institution_a))


def test_admin_add_form_lists_only_eligible_accounts(
    client_for, regional_department_user, api_client_a, officer_a, other_region
):
    foreign = ApiClientFactory(
        username="foreign_client",
        institution=InstitutionFactory(district=other_region.districts.get()),
    )
    UserFactory(username="root", is_superuser=True, is_staff=True)
    client = client_for(regional_department_user)
    response = client.get(reverse("admin:accounts_apitoken_add"))
    choices = {str(user) for user in response.context["adminform"].form.fields["user"].queryset}
    assert choices == {"api_client_a"}
    refused = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": officer_a.pk, "name": "МИС"}
    )
    assert refused.status_code == 200
    assert "user" in refused.context["adminform"].form.errors
    assert not ApiToken.objects.filter(user__in=[officer_a, foreign]).exists()


def test_admin_lists_only_tokens_of_own_region(
    client_for, regional_department_user, department_user, api_client_a, other_region
):
    foreign = ApiClientFactory(region=other_region)
    api_token_issue(actor=department_user, user=foreign, name="чужой")
    api_token_issue(actor=department_user, user=api_client_a, name="свой")
    response = client_for(regional_department_user).get(
        reverse("admin:accounts_apitoken_changelist")
    )
    names = {token.name for token in response.context["cl"].result_list}
    assert names == {"свой"}


def test_command_obeys_the_same_rule(department_user, officer_a):
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", officer_a.username, "--as", "dept_user", stdout=io.StringIO()
        )
    assert not ApiToken.objects.exists()


def test_officer_issues_own_institutions_client_token_on_the_page_and_sees_it_once(
    client_for, officer_a, api_client_a, institution_b
):
    ApiClientFactory(username="client_b", institution=institution_b)
    client = client_for(officer_a)
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 200
    assert [str(u) for u in page.context["form"].fields["holder"].queryset] == ["api_client_a"]
    response = client.post(
        reverse("accounts:api_tokens"), {"holder": api_client_a.pk, "name": "МИС мекемесі"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=api_client_a)
    key = response.context["issued"]["key"]
    assert key in response.content.decode()
    assert token.prefix == key[:8]
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert key not in again
    assert f"{token.prefix}…" in again
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="accounts.apitoken")
    assert (event.actor, event.institution_id) == (officer_a, officer_a.institution_id)


def test_officer_cannot_issue_for_another_institutions_client(
    client_for, officer_a, api_client_a, institution_b
):
    theirs = ApiClientFactory(institution=institution_b)
    response = client_for(officer_a).post(
        reverse("accounts:api_tokens"), {"holder": theirs.pk, "name": "МИС"}
    )
    assert "holder" in response.context["form"].errors
    assert not ApiToken.objects.filter(user=theirs).exists()


def test_officer_revokes_own_client_token_and_gets_404_for_another(
    client_for, officer_a, officer_b, api_client_a, department_user, institution_b
):
    mine, key = api_token_issue(actor=officer_a, user=api_client_a, name="МИС")
    theirs, _ = api_token_issue(
        actor=department_user, user=ApiClientFactory(institution=institution_b), name="МИС Б"
    )
    client = client_for(officer_a)
    assert client.post(reverse("accounts:api_token_revoke", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "МИС Б" not in listing
    response = client.post(reverse("accounts:api_token_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.is_revoked
    assert not theirs.is_revoked
    assert client.get("/api/v1/institutions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    with pytest.raises(ValidationError):
        api_token_revoke(actor=officer_b, token=theirs.__class__.objects.get(pk=mine.pk))


def test_officer_cannot_revoke_a_persons_token(officer_a, institution_a):
    from tests.factories import legacy_person_token

    colleague = OfficerFactory(institution=institution_a)
    token, _key = legacy_person_token(colleague)
    with pytest.raises(ValidationError):
        api_token_revoke(actor=officer_a, token=token)


def test_department_revokes_a_persons_legacy_token(department_user, officer_a):
    from tests.factories import legacy_person_token

    token, _key = legacy_person_token(officer_a)
    assert api_token_revoke(actor=department_user, token=token).is_revoked


def test_commission_and_department_get_no_officer_token_page(
    client_for, commission_user, department_user
):
    for user in (commission_user, department_user):
        assert client_for(user).get(reverse("accounts:api_tokens")).status_code == 403


def test_every_audit_row_of_a_token_request_names_the_token(client, api_client_a, institution_b):
    key = api_token_key(api_client_a)
    client.get("/api/v1/institutions/", HTTP_AUTHORIZATION=f"Token {key}")
    client.get(f"/api/v1/institutions/{institution_b.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    view, denied = AuditEvent.objects.filter(actor=api_client_a).order_by("pk")
    assert (view.action, denied.action) == (AuditAction.VIEW, AuditAction.ACCESS_DENIED)
    assert view.token_prefix == denied.token_prefix == key[:8]
    assert view.via_token
    assert denied.via_token
    # The next request, by a person's session, names no token.
    client.force_login(CommissionUserFactory())
    client.get("/api/v1/institutions/")
    assert AuditEvent.objects.order_by("pk").last().token_prefix == ""


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("kk", "Мекеме жүйелерінің API токендері", "Токен беру"),
        ("ru", "API-токены систем учреждения", "Выдать токен"),
    ],
)
def test_officer_token_page_is_translated(
    client_for, settings, officer_a, api_client_a, language, heading, button
):
    officer_a.language = language
    officer_a.save()
    html = client_for(officer_a).get(reverse("accounts:api_tokens")).content.decode()
    assert heading in html
    assert button in html
    assert "Issue a token" not in html
