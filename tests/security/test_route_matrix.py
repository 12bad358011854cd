"""Every route, every actor: the status each gets is the one the matrix expects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.key)
def test_route_matrix(route, module_world, client):
    world = module_world
    expected = expectation(route)
    assert expected is not None, route
    url = _url(route, expected, world)
    failures = []
    for actor in ACTORS:
        client.logout()
        user = world.users[actor]
        if user is not None:
            client.force_login(user)
        status = client.get(url, expected.query).status_code
        if status != expected.statuses()[actor]:
            failures.append(
                f"{route.key} {url} as {actor}: got {status}, "
                f"matrix says {expected.statuses()[actor]}"
            )
    assert not failures, "\n".join(failures)
