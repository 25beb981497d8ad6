"""An incident's complaints in the API issue the same queries at 2 linked complaints and at 6
(issue 18: query-count tests guard every API list). (The incident's page:
tests/remediation/test_page_query_counts.py; the incidents list:
tests/api/test_list_query_counts.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from remediation.services.incidents import incident_link
from tests.factories import make_complaint
from tests.query_counts import same_at_2_and_6

from .conftest import OUTAGE_NOW, OUTAGE_START

pytestmark = pytest.mark.django_db


def test_api_incident_complaints_same_queries_at_2_and_6(firm, supervisor, handler, incident):
    api = APIClient()
    api.force_authenticate(supervisor)
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

    def shown(response, n):
        assert sorted(row["reference"] for row in response.json()["results"]) == sorted(linked)
        assert len(linked) == n

    same_at_2_and_6(api, f"/api/remediation/incidents/{incident.pk}/complaints/", add, shown)
