"""Every read of the API over the demo data (every state, FOS referrals, redress, letters,
returns) answers, for every role, a body the OpenAPI schema describes. Generated requests in
test_schemathesis.py rarely reach a populated object; this walks every GET operation with
real ids, as each of the demo's handler, supervisor, reporting officer and administrator."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from common.tokens import api_token_issue
from tests.api.test_schemathesis import CHECKS, schema

ROLES = ("handler", "supervisor", "reporting", "admin")  # the demo's usernames


def _ids(response) -> list[int]:
    """The ids a list answered (paginated or not), to read each object's own operations."""
    body = response.json()
    items = body.get("results", []) if isinstance(body, dict) else body
    return [i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), int)][:3]


@pytest.mark.django_db
@pytest.mark.usefixtures("live_db_for_wsgi")
def test_every_read_over_the_demo_data_matches_the_schema_for_every_role():
    call_command("load_demo_data", verbosity=0)
    users = get_user_model().objects
    tokens = {
        name: api_token_issue(
            user=users.get(username=name), name="schema", actor=None, now=timezone.now()
        ).clear
        for name in ROLES
    }
    operations = [r.ok() for r in schema.get_all_operations()]
    reads = sorted((o for o in operations if o.method.upper() == "GET"), key=lambda o: o.path)
    ids: dict[str, list[int]] = {}
    failures, checked = [], 0
    for operation in reads:  # sorted: a list comes before its objects' operations
        params = re.findall(r"{(\w+)}", operation.path)
        if len(params) > 1:
            continue
        values = ids.get(operation.path.split("{")[0], []) if params else [None]
        for value in values:
            case = operation.Case(path_parameters={params[0]: value} if params else {})
            for role, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                response = case.call(headers=headers)
                if not params and role == "supervisor" and response.status_code == 200:
                    ids[operation.path] = _ids(response)
                checked += 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except BaseException as failure:  # schemathesis' FailureGroup
                    found = re.findall(
                        r"(\S+ is not [^\n]*|\S+ is a required property)", str(failure)
                    )
                    failures.append(f"GET {case.formatted_path} as {role}: {sorted(set(found))}")
    assert checked > 100
    assert not failures, "\n".join(failures)
