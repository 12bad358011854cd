"""Schemathesis over the OpenAPI schema (issue 20, item 6): every operation, called with
data generated from the schema by an institution's API client, answers as the schema says
(status, content type, headers, body) and never with a server error.

It calls the WSGI app on the test's database, over the security suite's world (objects of
two institutions), so the client reads and changes only what its institution may.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from tests.factories import api_client_key

# The schema as /api/v1/schema/ serves it (the same generator), built once at collection.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()

NOT_APPLICABLE = [
    # A schema-valid body may still break a rule the schema cannot state (an IIN's check
    # digit, a list already submitted, a person of another institution): 400 then.
    positive_data_acceptance,
    # The institutions' FilterSet is the HTML list's too: it reads "null" as "any".
    negative_data_rejection,
]


@pytest.fixture
def api_client_auth(module_world, db):
    """An institution's API client, on the test's own connection: as Django's test client
    does, a request does not close it (which would end the test's transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Token {api_client_key(institution=module_world.institution_a)}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    # Generated cases only: the coverage phase's hundreds of boundary cases take minutes.
    phases=[Phase.generate],
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_the_schema_says(case, api_client_auth):
    case.call_and_validate(headers=api_client_auth, excluded_checks=NOT_APPLICABLE)
