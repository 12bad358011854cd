"""Every route, every actor: the status each gets is the one the matrix expects, and the
matrix agrees with the rule the route's view declares in census_coord.policy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from census_coord.policy import RULES, PolicyPermission, allowed
from tests.security.route_matrix import ACTORS, ADMIN_DEFAULTS, ROUTES, E

OBJECT_REDIRECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/$")


@dataclass(frozen=True)
class Route:
    key: str
    path: str
    named: bool


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            path = prefix + str(pattern.pattern)
            if pattern.name:
                yield Route(namespace + pattern.name, path, True)
            elif match := OBJECT_REDIRECT.match(path):
                key = f"admin:{match['app']}_{match['model']}_object_redirect"
                yield Route(key, path, False)
            elif path == "admin/(?P<url>.*)$":
                yield Route("admin:catch_all", path, False)
            else:
                yield Route(f"unnamed:{path}", path, False)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def _admin_models() -> dict[str, type[Model]]:
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry
    }


def _admin_split(key: str) -> tuple[type[Model], str] | None:
    """ "admin:institutions_institution_change" -> (Institution, "change")."""
    if not key.startswith("admin:"):
        return None
    name = key.removeprefix("admin:")
    for prefix, model in sorted(_admin_models().items(), key=lambda kv: -len(kv[0])):
        if name.startswith(prefix + "_"):
            return model, name.removeprefix(prefix + "_")
    return None


def expectation(route: Route) -> E | None:
    if route.key in ROUTES:
        return ROUTES[route.key]
    split = _admin_split(route.key)
    if split is not None:
        return ADMIN_DEFAULTS.get(split[1])
    return None


def test_every_route_has_an_entry_in_the_matrix():
    missing = [route for route in all_routes() if expectation(route) is None]
    assert not missing, (
        "Routes without an entry in tests/security/route_matrix.py ROUTES — add one line "
        "each with the status a GET gives (officer A, officer B, commission, department, "
        "anonymous), e.g.\n"
        + "\n".join(
            f'    "{route.key}": E(200, 404, 200, 200, 302),  # {route.path}' for route in missing
        )
    )


def _url(route: Route, expected: E, world) -> str:
    if expected.url is not None:
        return expected.url(world)
    split = _admin_split(route.key)
    kwargs = expected.kw(world) if expected.kw else {}
    if split is not None and not kwargs and "<path:object_id>" in route.path:
        obj = world.admin_object(split[0])
        if not route.named:
            app, model = split[0]._meta.app_label, split[0]._meta.model_name
            return f"/admin/{app}/{model}/{obj.pk}/"
        kwargs = {"object_id": obj.pk}
    if split is not None and not kwargs and "<id>" in route.path:
        kwargs = {"id": world.admin_object(split[0]).pk}
    return reverse(route.key, kwargs=kwargs)


@pytest.fixture(scope="module")
def actor_clients(module_world, django_db_blocker) -> dict[str, Client]:
    """A client per actor, signed in once for the module (its session lives in
    ``module_world``'s transaction; what a request writes to it goes with its test's)."""
    clients = {}
    with django_db_blocker.unblock():
        for actor in ACTORS:
            clients[actor] = Client()
            if (user := module_world.users[actor]) is not None:
                clients[actor].force_login(user)
    return clients


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.key)
def test_route_matrix(route, module_world, actor_clients):
    world = module_world
    expected = expectation(route)
    assert expected is not None, route
    url = _url(route, expected, world)
    failures = []
    for actor in ACTORS:
        status = actor_clients[actor].get(url, expected.query).status_code
        if status != expected.statuses()[actor]:
            failures.append(
                f"{route.key} {url} as {actor}: got {status}, "
                f"matrix says {expected.statuses()[actor]}"
            )
    assert not failures, "\n".join(failures)


def route_rule(url: str) -> str | None:
    """The policy rule a route's view declares for a GET: ``rule_required`` on a page,
    ``rule`` / ``action_rules`` on a DRF view (None: the view names no rule)."""
    func = resolve(url).func
    if rule := getattr(func, "policy_rule", None):
        return rule
    view_class = getattr(func, "cls", None)
    if view_class is None or PolicyPermission not in view_class.permission_classes:
        return None
    initkwargs = getattr(func, "initkwargs", {})
    action = (getattr(func, "actions", None) or {}).get("get")
    return (
        getattr(view_class, "action_rules", {}).get(action)
        or initkwargs.get("rule")
        or getattr(view_class, "rule", None)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in all_routes() if not r.key.startswith("admin:")], ids=lambda r: r.key
)
def test_route_agrees_with_the_policy(route, module_world):
    """Where the policy refuses a role, the matrix says 403 (405 where the method is
    checked first); where it allows, never 403 (404 for another institution's object)."""
    world = module_world
    expected = expectation(route)
    url = _url(route, expected, world)
    rule = route_rule(url)
    if rule is None:
        pytest.skip(f"{route.key} names no rule: open to every signed-in user, or public")
    assert rule in RULES, rule
    statuses = expected.statuses()
    for actor in ACTORS:
        user = world.users[actor]
        if user is None:
            continue
        if allowed(user, rule):
            assert statuses[actor] != 403, f"{route.key}: {rule} allows {actor}, matrix says 403"
        else:
            assert statuses[actor] in (403, 405), (
                f"{route.key}: {rule} refuses {actor}, matrix says {statuses[actor]}"
            )
