"""A route's id that is not a number answers 404, never 500 (issue 15, item 6)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests.security.test_route_matrix import _admin_split, all_routes, expectation

SENTINEL = 987_654_321


def _valid_kwargs(route, expected, world) -> dict:
    kwargs = expected.kw(world) if expected.kw else {}
    split = _admin_split(route.key)
    if split is not None and not kwargs and "<path:object_id>" in route.path:
        kwargs = {"object_id": world.admin_object(split[0]).pk}
    if split is not None and not kwargs and "<id>" in route.path:
        kwargs = {"id": world.admin_object(split[0]).pk}
    return kwargs


def _urls_with_a_word_for_an_id(world):
    """(route, url) for every named route and every integer argument it takes."""
    for route in all_routes():
        expected = expectation(route)
        if not route.named or expected is None or expected.url is not None:
            continue
        try:
            kwargs = _valid_kwargs(route, expected, world)
        except LookupError:  # an admin the world has no object for: the matrix skips it too
            continue
        for name, value in kwargs.items():
            if not str(value).isdigit():
                continue
            try:
                url = reverse(route.key, kwargs={**kwargs, name: SENTINEL})
            except NoReverseMatch:  # pragma: no cover - every id route takes any integer
                continue
            yield route, url.replace(str(SENTINEL), "abc")


@pytest.mark.django_db
def test_every_route_with_an_id_answers_404_for_a_word(world, client):
    client.force_login(world.users["department"])
    checked, failures = 0, []
    for route, url in _urls_with_a_word_for_an_id(world):
        checked += 1
        response = client.get(url)
        if route.key.startswith("admin:"):
            # The admin's own answers: back to its index for an unknown object, or 403
            # before any lookup where the department may not delete.
            ok = response.status_code in (302, 403, 404)
        else:
            ok = response.status_code == 404
        if not ok:
            failures.append(f"{route.key} {url}: {response.status_code}")
    assert checked > 50
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/import-jobs/abc/",
        "/api/v1/import-jobs/abc/errors/",
        "/api/v1/import-jobs/abc/errors.xlsx/",
        "/api/v1/respondent-lists/1/respondents/abc/",
    ],
)
def test_reported_api_urls_answer_404(world, client, url):
    client.force_login(world.users["department"])
    response = client.get(url)
    assert response.status_code == 404
    # In the API's error shape, as its schema says, not the HTML page (issue 20, item 6).
    assert response.json()["code"] == "not_found"
