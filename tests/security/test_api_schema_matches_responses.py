"""The OpenAPI schema describes the `null` and `""` values the API really returns
(issue 15, item 6): real responses of the list and import-job endpoints validate against it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft7Validator

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: ``nullable: true`` becomes a ``null`` alternative."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _response_schema(openapi: dict, path: str, status: str = "200") -> dict:
    operation = openapi["paths"][path]["get"]
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**_as_json_schema(content), "components": _as_json_schema(openapi["components"])}


def _check(openapi: dict, path: str, body: Any) -> list[str]:
    validator = Draft7Validator(_response_schema(openapi, path))
    return [
        f"{path}: {'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(body)
    ]


def test_list_and_job_responses_match_the_schema(world, client, openapi):
    client.force_login(world.users["officer_a"])
    list_a = world.list_a
    responses = {
        "/api/v1/respondent-lists/": client.get(f"{API}/respondent-lists/"),
        "/api/v1/respondent-lists/{id}/": client.get(f"{API}/respondent-lists/{list_a.pk}/"),
        "/api/v1/import-jobs/": client.get(f"{API}/import-jobs/"),
        "/api/v1/import-jobs/{id}/": client.get(f"{API}/import-jobs/{world.import_job_a.pk}/"),
        "/api/v1/respondent-lists/{list_pk}/respondents/": client.get(
            f"{API}/respondent-lists/{list_a.pk}/respondents/"
        ),
    }
    failures = []
    for path, response in responses.items():
        assert response.status_code == 200, path
        failures += _check(openapi, path, response.json())
    assert not failures, "\n".join(failures)


def test_nulls_and_blanks_of_a_fresh_job_match_the_schema(world, client, openapi):
    from respondents.models import ImportJob

    job = copy.copy(world.import_job_a)
    ImportJob.objects.filter(pk=job.pk).update(
        rows_total=None, started_at=None, finished_at=None, message="", error_count=0
    )
    client.force_login(world.users["officer_a"])
    body = client.get(f"{API}/import-jobs/{job.pk}/").json()
    assert body["rows_total"] is None
    assert body["links"]["errors_json"] is None
    assert not _check(openapi, "/api/v1/import-jobs/{id}/", body)
