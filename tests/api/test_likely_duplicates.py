"""Likely duplicates through the API (issue #15 item 10): every create is accepted (it may be
real), but one from the same complainant with the same description within a day of an earlier
one is flagged on the complaint, in the API response and in the queue."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from complaints.models import Complaint
from tests.api.test_idempotency_and_concurrency import CREATE, URL

pytestmark = pytest.mark.django_db


def test_fifty_creates_with_one_body_make_fifty_complaints_each_later_one_flagged(api):
    bodies = [
        api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY=f"k-{n}").json()
        for n in range(50)
    ]
    assert Complaint.objects.count() == 50
    first = bodies[0]
    assert first["likely_duplicate_of"] is None
    assert {b["likely_duplicate_of"] for b in bodies[1:]} == {first["id"]}
    stored = Complaint.objects.exclude(pk=first["id"])
    assert set(stored.values_list("likely_duplicate_of_id", flat=True)) == {first["id"]}
    listed = api.get(URL).json()["results"]
    assert sum(1 for c in listed if c["likely_duplicate_of"] == first["id"]) == len(listed) - (
        1 if any(c["id"] == first["id"] for c in listed) else 0
    )


def test_another_description_or_a_day_later_is_not_a_likely_duplicate(api):
    first = api.post(URL, {**CREATE, "received_at": "2026-04-01T09:00:00+01:00"}, format="json")
    other = api.post(URL, {**CREATE, "description": "A different problem."}, format="json")
    assert other.json()["likely_duplicate_of"] is None
    later = {**CREATE, "received_at": "2026-04-02T09:01:00+01:00"}  # a day and a minute on
    assert api.post(URL, later, format="json").json()["likely_duplicate_of"] is None
    same_day = {**CREATE, "received_at": "2026-04-01T20:00:00+01:00"}
    # Within a day of both: linked to the one received first.
    flagged = api.post(URL, same_day, format="json").json()
    assert flagged["likely_duplicate_of"] == first.json()["id"]


def test_the_queue_badges_a_likely_duplicate_and_links_the_earlier_complaint(api, client, handler):
    first = api.post(URL, CREATE, format="json").json()
    second = api.post(URL, CREATE, format="json").json()
    client.force_login(handler)
    page = client.get("/?tab=team").content.decode()
    assert page.count("Likely duplicate") == 1
    assert f'href="/complaints/{first["id"]}/"' in page
    detail = client.get(f"/complaints/{second['id']}/").content.decode()
    link = f'<a href="/complaints/{first["id"]}/">{first["reference"]}</a>'
    assert f"Likely duplicate of {link}" in detail


def test_the_openapi_schema_documents_likely_duplicate_of():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("ComplaintList", "ComplaintDetail"):
        field = schema["components"]["schemas"][name]["properties"]["likely_duplicate_of"]
        assert field["nullable"] is True and "same description" in field["description"]
