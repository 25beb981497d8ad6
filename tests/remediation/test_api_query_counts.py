"""An incident's complaints in the API issue the same queries at 2 linked complaints and at 6
(issue 18: query-count tests guard every API list). (The incident's page:
tests/remediation/test_page_query_counts.py; the incidents list:
tests/api/test_list_query_counts.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from remediation.services.incidents import incident_link
from tests.factories import make_complaint

from .conftest import OUTAGE_NOW, OUTAGE_START

pytestmark = pytest.mark.django_db


def test_api_incident_complaints_same_queries_at_2_and_6(firm, supervisor, handler, incident):
    api = APIClient()
    api.force_authenticate(supervisor)
    url = f"/api/remediation/incidents/{incident.pk}/complaints/"
    linked: list[str] = []

    def add(start, stop):
        made = [
            make_complaint(
                firm=firm,
                received_at=OUTAGE_START + timedelta(minutes=10 * i),
                owner_id=handler.pk,
                now=OUTAGE_NOW,
            )
            for i in range(start, stop)
        ]
        linked.extend(c.reference for c in made)
        incident_link(
            incident_id=incident.pk,
            complaint_ids=[c.pk for c in made],
            actor=supervisor,
            now=OUTAGE_NOW,
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200
        assert sorted(row["reference"] for row in response.json()["results"]) == sorted(linked)
        return len(ctx.captured_queries)

    add(0, 2)
    api.get(url)  # warm the user caches
    small = queries()
    add(2, 6)
    assert queries() == small
