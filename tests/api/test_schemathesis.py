"""Property-based tests of the live OpenAPI schema (schemathesis): every operation, a bounded
number of generated requests each, each request sent once for every role (handler, supervisor,
reporting officer, administrator) with that member's real token. No response may be a 5xx, and
every response, for every role, must match the documented schema (status code, content type,
headers, body)."""

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from common.tokens import api_token_issue
from complaints.choices import Role
from config.wsgi import application
from tests.api.conftest import NOW, member
from tests.factories import london, make_complaint


def _load_schema():
    """The schema /api/schema/ serves (it needs sign-in, so it is generated here rather than
    fetched anonymously), with calls going to the WSGI app."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    loaded.location = "/api/schema/"
    return loaded


schema = _load_schema()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def seeded(firm, handler, live_db_for_wsgi):
    """Real complaints in several states, so generated ids sometimes hit a real object."""
    from complaints import services

    complaints = [
        make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
        for _ in range(3)
    ]
    services.complaint_acknowledge(complaint_id=complaints[1].pk, actor=handler, now=NOW)
    users = {Role.HANDLER: handler} | {
        role: member(firm, role) for role in (Role.SUPERVISOR, Role.REPORTING_OFFICER, Role.ADMIN)
    }
    tokens = {
        role: api_token_issue(user=user, name="schemathesis", actor=None, now=NOW).clear
        for role, user in users.items()
    }
    return {"ids": [c.pk for c in complaints], "tokens": tokens}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, seeded):
    params = case.path_parameters or {}
    if "id" in params and isinstance(params["id"], int) and params["id"] % 2 == 0:
        params["id"] = seeded["ids"][params["id"] % len(seeded["ids"])]
    for role, token in seeded["tokens"].items():
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:
            failure.add_note(f"as {role.label}")
            raise
