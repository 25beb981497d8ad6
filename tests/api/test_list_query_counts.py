"""API lists that had no query-count guard issue the same queries at 2 rows and at 6 (issue 18):
a complaint's tasks, representatives and root causes, the firm's root-cause taxonomy and its
incidents. (The complaints list and detail: tests/complaints/test_read_query_counts.py; the
others have their own in their apps' tests.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.services import Authority, RepresentativeData, representative_add
from remediation.services.root_causes import root_cause_create
from tests.api.conftest import NOW, client_for

pytestmark = pytest.mark.django_db


def _representative(i: int) -> RepresentativeData:
    return RepresentativeData(
        kind="claims_manager",
        name=f"ClaimRight {i} Ltd",
        email=f"cases{i}@claimright.example",
        address="2 Claim Street\nLeeds\nLS2 2BB",
        regulator_reference="FRN 830000",
        receives_letters=i == 0,  # one representative at a time receives the letters
        authority=Authority(
            document="Letter of authority",
            reference=f"EV-{i}",
            received_on=NOW.date(),
            expires_on=NOW.date() + timedelta(days=180),
        ),
    )


def _add_task(api, complaint, firm, supervisor, i: int) -> None:
    due = (NOW.date() + timedelta(days=1 + i)).isoformat()
    made = api.post(f"/api/complaints/{complaint.pk}/tasks/", {"kind": "chase", "due_on": due})
    assert made.status_code == 201, made.content


def _add_representative(api, complaint, firm, supervisor, i: int) -> None:
    representative_add(
        complaint_id=complaint.pk, actor=supervisor, now=NOW, data=_representative(i)
    )


def _add_root_cause(api, complaint, firm, supervisor, i: int) -> None:
    cause = root_cause_create(firm=firm, actor=supervisor, name=f"Cause {i}")
    made = api.post(
        f"/api/remediation/complaints/{complaint.pk}/root-causes/", {"root_cause": cause.pk}
    )
    assert made.status_code == 201, made.content


def _add_taxonomy_node(api, complaint, firm, supervisor, i: int) -> None:
    root_cause_create(firm=firm, actor=supervisor, name=f"Cause {i}")


def _add_incident(api, complaint, firm, supervisor, i: int) -> None:
    started = date(2026, 3, 1) + timedelta(days=i)
    body = {"name": f"Outage {i}", "started_at": f"{started.isoformat()}T06:00:00Z"}
    made = api.post("/api/remediation/incidents/", body)
    assert made.status_code == 201, made.content


LISTS: dict[str, tuple[str, Callable]] = {
    "complaint tasks": ("/api/complaints/{pk}/tasks/", _add_task),
    "complaint representatives": ("/api/complaints/{pk}/representatives/", _add_representative),
    "complaint root causes": ("/api/remediation/complaints/{pk}/root-causes/", _add_root_cause),
    "root-cause taxonomy": ("/api/remediation/root-causes/", _add_taxonomy_node),
    "incidents": ("/api/remediation/incidents/", _add_incident),
}


def _rows(body) -> int:
    return len(body["results"] if isinstance(body, dict) else body)


@pytest.mark.parametrize("name", LISTS)
def test_api_list_issues_the_same_queries_at_2_and_6_rows(complaint, firm, supervisor, name):
    path, add = LISTS[name]
    api = client_for(supervisor)
    api.default_format = "json"
    url = path.format(pk=complaint.pk)

    def queries(rows: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200 and _rows(response.json()) == rows
        return len(ctx.captured_queries)

    for i in range(2):
        add(api, complaint, firm, supervisor, i)
    api.get(url)  # the token's last_used_at is written at most once a minute
    small = queries(2)
    for i in range(2, 6):
        add(api, complaint, firm, supervisor, i)
    assert queries(6) == small
