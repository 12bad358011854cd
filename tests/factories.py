"""factory-boy factories for the domain; tests build data through these or services."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.tokens import token_key_generate, token_key_hash
from census_coord.kz_ids import with_check_digit
from institutions.models import District, Institution, InstitutionType, ResponsibleStaff


def _valid_bin(n: int) -> str | None:
    return with_check_digit(f"1012400{n % 10000:04d}")


_bin_counter = iter(range(1, 10**6))


def _next_bin() -> str:
    # Skip serials without a valid check digit instead of borrowing the next one, which
    # the next institution would then get too.
    while (candidate := _valid_bin(next(_bin_counter))) is None:
        pass
    return candidate


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    bin = factory.LazyFunction(_next_bin)
    name_kk = factory.Sequence(lambda n: f"Мекеме №{n}")
    name_ru = factory.Sequence(lambda n: f"Учреждение №{n}")
    type = factory.LazyFunction(lambda: InstitutionType.objects.order_by("position").first())
    district = factory.LazyFunction(lambda: District.objects.order_by("code").first())
    expected_residents = 50


def _grant_role(default: str | None) -> factory.PostGeneration:
    """Post-generation hook: put the user in a role group (``role=...`` overrides)."""

    def grant(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        role = extracted or default
        if create and role:
            user.groups.add(Group.objects.get(name=role))
        if create:
            user.save()

    return factory.PostGeneration(grant)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests-1")
    role = _grant_role(None)


class DepartmentUserFactory(UserFactory):
    is_staff = True
    role = _grant_role(Role.DEPARTMENT)


class CommissionUserFactory(UserFactory):
    role = _grant_role(Role.COMMISSION)


class OfficerFactory(UserFactory):
    institution = factory.SubFactory(InstitutionFactory)
    role = _grant_role(Role.OFFICER)


class ApiClientFactory(UserFactory):
    """Client software's account: an institution's own system (``institution=``) or the
    census system / the Department's integration (no institution, ``region=``)."""

    role = _grant_role(Role.API_CLIENT)


def api_token_key(holder: User, *, issued_by: User | None = None, name: str = "МИС") -> str:
    """A working token key for the API-client account ``holder``, issued by a department
    user (all regions unless given) as the policy requires."""
    from accounts.services import api_token_issue

    _token, key = api_token_issue(
        actor=issued_by or DepartmentUserFactory(), user=holder, name=name
    )
    return key


def legacy_person_token(user: User) -> tuple[ApiToken, str]:
    """A token a person's account holds from before tokens were limited to API clients
    (the service refuses to issue one now, so it is written directly, as old data is)."""
    key = token_key_generate()
    token = ApiToken.objects.create(
        user=user, name="legacy", prefix=key[:8], key_hash=token_key_hash(key)
    )
    return token, key


def api_client_key(*, institution=None, region=None, name: str = "МИС") -> str:
    """A working token key of a new API client (of ``institution`` when given)."""
    return api_token_key(ApiClientFactory(institution=institution, region=region), name=name)


class ResponsibleStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibleStaff

    institution = factory.SubFactory(InstitutionFactory)
    full_name = factory.Sequence(lambda n: f"Жауапты Қызметкер {n}")
    position = "Әлеуметтік қызметкер"
    order_number = factory.Sequence(lambda n: f"{n}-ө")
