"""Bad input is a field error, never a 500 (issue #15 item 9): a NUL byte in any query parameter
of any API operation or in any JSON body field of any create/update, and absurd dates."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from common.inputs import DATE_MESSAGE
from tests.api.conftest import client_for, member
from tests.api.test_complaints_api import CREATE

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
OPERATIONS = [
    (path, method, op)
    for path, item in SCHEMA["paths"].items()
    for method, op in item.items()
    if method in ("get", "post", "put", "patch")
]


def _properties(op) -> dict:
    content = op.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def _url(path: str, complaint) -> str:
    return re.sub(r"\{[^}]+\}", str(complaint.pk), path)


@pytest.fixture
def admin_api(firm):
    return client_for(member(firm, "admin"))


def _refused(response, where: str) -> list[str]:
    """What is wrong with the answer: a 5xx, or a 400 without the coded error shape."""
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if response.status_code == 400:
        body = response.json()
        if not (body.get("code") and body.get("fields")):
            return [f"{where}: {body}"]
    return []


def test_a_nul_byte_in_the_redress_list_status_is_a_400_naming_status(api):
    """Issue #15 item 9: `?status=%00` on the redress list answered 500."""
    response = api.get("/api/remediation/redress/", {"status": "\x00"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"status": ["Null characters are not allowed."]}


def test_a_nul_byte_in_any_query_parameter_of_any_api_operation_is_a_400_naming_it(
    admin_api, complaint
):
    tried, wrong = 0, []
    for path, method, op in OPERATIONS:
        if method != "get":
            continue
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            tried += 1
            try:
                response = admin_api.get(_url(path, complaint), {param["name"]: "a\x00b"})
            except Exception as exc:  # the test client re-raises what would be a 500
                wrong.append(f"GET {path}?{param['name']}: {type(exc).__name__}")
                continue
            if response.status_code != 400 or param["name"] not in response.json()["fields"]:
                wrong.append(f"GET {path}?{param['name']}: {response.status_code}")
    assert tried > 20 and wrong == []


def test_a_nul_byte_in_a_page_filter_is_a_400(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/remediation/", {"date_from": "\x00"}).status_code == 400


def test_a_nul_byte_in_any_json_body_field_is_refused_without_a_500(api, complaint):
    """Every create/update operation, a NUL in each writable field in turn (a list gets a list
    holding one, an object an object holding one); and nested, the path is named."""
    tried, wrong = 0, []
    for path, method, op in OPERATIONS:
        if method == "get":
            continue
        for name, prop in _properties(op).items():
            if prop.get("readOnly"):
                continue
            tried += 1
            value = {"array": ["a\x00b"], "object": {"x": "a\x00b"}}.get(prop.get("type"), "a\x00b")
            try:
                response = getattr(api, method)(_url(path, complaint), {name: value}, format="json")
            except Exception as exc:
                wrong.append(f"{method.upper()} {path} {name}: {type(exc).__name__}")
                continue
            wrong += _refused(response, f"{method.upper()} {path} {name}")
    assert tried > 50 and wrong == []
    body = {**CREATE, "complainant": {"name": "Jo\x00"}, "notes\x00": "x"}
    response = api.post("/api/complaints/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"complainant.name", "notes\\0"}


def test_a_complaint_received_in_year_10_is_a_400_naming_received_at(api):
    """Issue #15 item 9: a complaint received on 1 Jan 0010 was logged (201)."""
    body = {**CREATE, "received_at": "0010-01-01T10:00:00Z", "event_date": "0010-01-01"}
    response = api.post("/api/complaints/", body, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["received_at"] == [DATE_MESSAGE] and fields["event_date"] == [DATE_MESSAGE]


def test_deadlines_for_31_dec_9999_are_a_400_not_an_overflow(api):
    response = api.get("/api/deadlines/", {"received": "9999-12-31", "nation": "england"})
    assert response.status_code == 400 and response.json()["fields"]["received"] == [DATE_MESSAGE]
    latest = api.get("/api/deadlines/", {"received": "2199-12-31", "nation": "england"})
    assert latest.status_code == 200


def test_a_list_filter_from_year_10_is_a_400(api):
    response = api.get("/api/complaints/", {"received_from": "0010-01-01"})
    assert response.status_code == 400 and "received_from" in response.json()["fields"]


@pytest.mark.parametrize("absurd", ["0010-01-01", "99999-01-01", "0010-01-01T10:00:00Z"])
def test_absurd_dates_in_any_operation_are_refused_without_a_500(api, complaint, absurd):
    tried, wrong = 0, []
    for path, method, op in OPERATIONS:
        url = _url(path, complaint)
        if method == "get":
            for param in op.get("parameters", []):
                if param["in"] == "query" and param.get("schema", {}).get("format") in (
                    "date",
                    "date-time",
                ):
                    tried += 1
                    response = api.get(url, {param["name"]: absurd})
                    wrong += _refused(response, f"GET {path}?{param['name']}")
            continue
        for name, prop in _properties(op).items():
            if prop.get("format") in ("date", "date-time") and not prop.get("readOnly"):
                tried += 1
                response = getattr(api, method)(url, {name: absurd}, format="json")
                wrong += _refused(response, f"{method.upper()} {path} {name}")
    assert tried > 10 and wrong == []
