"""FOS API: common.api conventions (one error shape, pagination, 404 for another firm)."""

import io
import zipfile
from datetime import date

import pytest
from rest_framework.test import APIClient

from fos import services
from fos.models import Referral
from tests.factories import FirmFactory, MembershipFactory, london
from tests.fos.helpers import drive, log, responded_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client


@pytest.fixture
def complaint(firm, handler):
    return responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))


@pytest.fixture
def referral(complaint, handler):
    return log(complaint, handler, referred_on=date(2026, 1, 10), fos_reference="PNX-9")


def test_create_runs_the_checklist(api, complaint):
    response = api.post(
        "/api/fos/referrals/",
        {
            "complaint": complaint.pk,
            "referred_on": "2026-01-10",
            "referred_by": "professional_representative",
            "representative_name": "ClaimRight Ltd",
            "fos_reference": "PNX-1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "referred" and body["representative_name"] == "ClaimRight Ltd"
    assert {line["key"] for line in body["checklist"]} >= {"six_months", "consent"}
    assert body["stages"][0]["action"] == "log"


def test_create_validation_error_names_the_field_and_saves_nothing(api, complaint):
    response = api.post(
        "/api/fos/referrals/",
        {
            "complaint": complaint.pk,
            "referred_on": "2026-01-10",
            "referred_by": "professional_representative",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and "representative_name" in body["fields"]
    assert not Referral.objects.exists()


def test_list_is_paginated_filtered_and_constant_in_queries(
    api, firm, handler, django_assert_max_num_queries
):
    for i in range(2):
        c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 2 + i, 10))
        log(c, handler, referred_on=date(2026, 1, 10))
    with django_assert_max_num_queries(6) as small:
        response = api.get("/api/fos/referrals/")
    assert response.json()["count"] == 2
    for i in range(3):
        c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 5 + i, 10))
        log(c, handler, referred_on=date(2026, 1, 10))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get("/api/fos/referrals/", {"stage": "referred"})
    assert response.json()["count"] == 5
    assert api.get("/api/fos/referrals/", {"stage": "nope"}).json()["fields"]["stage"]


def test_stage_actions_and_refusals(api, referral):
    url = f"/api/fos/referrals/{referral.pk}"
    assert (
        api.post(f"{url}/start-investigation/", {"on": "2026-01-12"}, format="json").status_code
        == 200
    )
    bad = api.post(f"{url}/issue-view/", {"outcome": "maybe"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()["fields"]
    ok = api.post(
        f"{url}/issue-view/",
        {"on": "2026-01-20", "outcome": "upheld", "response_due": "2026-02-03"},
        format="json",
    )
    assert ok.status_code == 200
    body = ok.json()
    assert (body["stage"], body["view_outcome"], body["overturned"]) == (
        "investigator_view_issued",
        "upheld",
        True,
    )
    assert body["deadlines"][0]["due_on"] == "2026-02-03"
    refused = api.post(f"{url}/record-compliance/", {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_stage" and refused.json()["stage"] == body["stage"]
    stale = api.post(f"{url}/dispute-view/", {"expected_version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"


def test_award_consent_chargeable_reference_deadlines(api, referral, handler):
    url = f"/api/fos/referrals/{referral.pk}"
    drive(referral, ["start_investigation", "issue_view"], start=date(2026, 1, 10), actor=handler)
    award = api.post(f"{url}/award/", {"amount": "500000.00"}, format="json").json()
    assert award["award_limit"] == "445000.00" and award["award_limit_verified"] is False
    assert award["award_recommended_excess"] == "55000.00"
    assert award["interest_basis"] == "boe_base_avg_plus_1"

    assert api.post(f"{url}/consent/", {"consents": True}, format="json").status_code == 200
    withdrawn = api.post(f"{url}/consent/", {"consents": False}, format="json")
    assert withdrawn.status_code == 409
    assert (withdrawn.json()["code"], withdrawn.json()["rule"]) == (
        "consent_irrevocable",
        "DISP 2.8.2AR",
    )

    charge = api.post(
        f"{url}/chargeable-date/", {"chargeable_on": "2026-01-15", "note": "invoice"}, format="json"
    )
    assert charge.json()["chargeable_on"] == "2026-01-15"
    assert (
        api.post(f"{url}/reference/", {"fos_reference": "PNX-10"}, format="json").json()[
            "fos_reference"
        ]
        == "PNX-10"
    )
    assert api.post(f"{url}/checklist/").status_code == 200

    created = api.post(
        f"{url}/deadlines/", {"description": "Send file", "due_on": "2026-01-30"}, format="json"
    )
    assert created.status_code == 201
    assert len(api.get(f"{url}/deadlines/").json()) == 2
    open_rows = api.get("/api/fos/deadlines/").json()
    assert {r["label"] for r in open_rows} >= {"FOS: Send file"}
    done = api.post(f"/api/fos/deadlines/{created.json()['id']}/complete/")
    assert done.status_code == 200 and done.json()["done_at"]
    again = api.post(f"/api/fos/deadlines/{created.json()['id']}/complete/")
    assert again.status_code == 409 and again.json()["code"] == "fos_deadline_already_done"


def test_fee_ledger_endpoint(api, referral, handler, firm):
    drive(referral, ["start_investigation"], start=date(2026, 1, 10), actor=handler)
    body = api.get("/api/fos/fees/ledger/", {"firm": firm.pk}).json()
    assert body[0]["financial_year"] == "2025/26"
    assert body[0]["lines"][0]["free"] is True
    assert api.get("/api/fos/fees/ledger/", {"firm": FirmFactory().pk}).status_code == 404
    assert api.get("/api/fos/fees/ledger/").status_code == 400


def test_case_file_endpoint(api, referral):
    response = api.get(f"/api/fos/referrals/{referral.pk}/case-file/")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.endswith("chronology.csv") for n in names)


def test_another_firm_gets_404_everywhere(referral):
    client = APIClient()
    client.force_authenticate(MembershipFactory(firm=FirmFactory(), role="supervisor").user)
    url = f"/api/fos/referrals/{referral.pk}"
    assert client.get(f"{url}/").status_code == 404
    assert client.get(f"{url}/").json()["code"] == "not_found"
    assert client.post(f"{url}/pre-register/", {}, format="json").status_code == 404
    assert client.post(f"{url}/award/", {"amount": "1"}, format="json").status_code == 404
    assert client.get(f"{url}/case-file/").status_code == 404
    assert client.get("/api/fos/referrals/").json()["count"] == 0
    created = client.post(
        "/api/fos/referrals/",
        {"complaint": referral.complaint_id, "referred_on": "2026-01-10"},
        format="json",
    )
    assert created.status_code == 404


def test_reading_role_gets_403_on_writes(firm, referral):
    client = APIClient()
    client.force_authenticate(MembershipFactory(firm=firm, role="reporting_officer").user)
    assert client.get(f"/api/fos/referrals/{referral.pk}/").status_code == 200
    response = client.post(f"/api/fos/referrals/{referral.pk}/pre-register/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    deadline = services.fos_deadline_add(
        referral_id=referral.pk,
        actor=None,
        now=referral.created_at,
        description="Send file",
        due_on=date(2026, 2, 1),
    )
    assert client.post(f"/api/fos/deadlines/{deadline.pk}/complete/").status_code == 403


def test_unauthenticated_is_refused():
    assert APIClient().get("/api/fos/referrals/").status_code in (401, 403)


def test_schema_documents_the_fos_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/fos/referrals/{id}/issue-final-decision/" in paths
    responses = paths["/api/fos/referrals/{id}/issue-final-decision/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(responses)
