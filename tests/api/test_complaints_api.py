"""The complaints API: create, list, retrieve, lifecycle actions, history, scoping and errors."""

import pytest
from django.urls import reverse

from complaints.choices import Status
from complaints.models import Complaint
from tests.api.conftest import NOW, client_for, member
from tests.factories import ComplainantFactory, london, make_complaint

pytestmark = pytest.mark.django_db

CREATE = {
    "received_at": "2026-04-02T16:00:00+01:00",
    "channel": "email",
    "activity": "operating_catp",
    "description": "My withdrawal has been pending for ten days.",
    "alleged_financial_loss": True,
    "external_reference": "CRM-1",
    "complainant": {"name": "Jo Bloggs", "email": "jo@example.test"},
}


def url(name, *args):
    return reverse(name, args=args)


class TestCreate:
    def test_creates_with_deadlines_and_actions(self, api, firm):
        response = api.post(url("api-complaints"), {**CREATE, "firm_frn": firm.frn}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "received"
        assert body["firm"]["frn"] == firm.frn
        assert body["receipt_date"] == "2026-04-02"
        # E1: SRC by close of business on Thu 9 Apr 2026 (Good Friday and Easter Monday are
        # not business days); final response 56 days on.
        deadlines = {d["key"]: d for d in body["deadlines"]}
        assert deadlines["summary_resolution"]["date"] == "2026-04-09"
        assert deadlines["summary_resolution"]["rule"] == "DISP 1.5.1R"
        assert deadlines["final_response"]["date"] == "2026-05-28"
        assert {a["name"] for a in body["available_actions"]} >= {"acknowledge", "withdraw"}
        assert response["ETag"] == '"1"'
        assert response["Location"] == url("api-complaint-detail", body["id"])
        complaint = Complaint.objects.get(pk=body["id"])
        assert complaint.history.first().history_change_reason == "complaint.register"

    def test_firm_defaults_to_the_only_firm_handled(self, api, firm):
        response = api.post(url("api-complaints"), CREATE, format="json")
        assert response.status_code == 201
        assert response.json()["firm"]["id"] == firm.pk

    def test_existing_complainant_by_id(self, api, firm):
        person = ComplainantFactory(firm=firm)
        payload = {**CREATE, "firm_id": firm.pk, "complainant_id": person.pk}
        del payload["complainant"]
        response = api.post(url("api-complaints"), payload, format="json")
        assert response.status_code == 201
        assert response.json()["complainant"]["id"] == person.pk

    def test_another_firms_complainant_is_a_field_error(self, api, firm, other_firm):
        person = ComplainantFactory(firm=other_firm)
        payload = {**CREATE, "complainant_id": person.pk}
        del payload["complainant"]
        response = api.post(url("api-complaints"), payload, format="json")
        assert response.status_code == 400
        assert "complainant" in response.json()["fields"]
        assert Complaint.objects.count() == 0

    def test_firm_not_a_member_is_a_field_error_and_saves_nothing(self, api, other_firm):
        response = api.post(
            url("api-complaints"), {**CREATE, "firm_frn": other_firm.frn}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["fields"] == {"firm_frn": ["Not one of your firms."]}
        assert Complaint.objects.count() == 0

    def test_role_without_handle_permission_is_403(self, firm):
        client = client_for(member(firm, "reporting_officer"))
        response = client.post(url("api-complaints"), {**CREATE, "firm_id": firm.pk}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert Complaint.objects.count() == 0

    def test_bad_input_names_every_field_in_the_error_shape(self, api):
        response = api.post(
            url("api-complaints"),
            {"channel": "pigeon", "complainant": {"name": "X"}},
            format="json",
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "validation_error"
        assert set(body) >= {"code", "message", "fields"}
        assert {"channel", "activity", "description"} <= set(body["fields"])

    def test_future_receipt_is_refused_by_the_service(self, api):
        response = api.post(
            url("api-complaints"),
            {**CREATE, "received_at": "2026-05-01T10:00:00+01:00"},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["fields"]["received_at"] == ["Cannot be in the future."]

    def test_feedback_without_detriment_is_not_a_complaint(self, api):
        response = api.post(
            url("api-complaints"), {**CREATE, "alleged_financial_loss": False}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["is_complaint"] is False


class TestAuthentication:
    def test_anonymous_is_401_in_the_error_shape(self, client, db):
        response = client.get(url("api-complaints"))
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_session_authentication_works_for_the_ui(self, client, handler, complaint):
        client.force_login(handler)
        response = client.get(url("api-complaint-detail", complaint.pk))
        assert response.status_code == 200

    def test_unknown_token_is_401(self, client, db):
        response = client.get(url("api-complaints"), HTTP_AUTHORIZATION="Bearer dcm_" + "x" * 40)
        assert response.status_code == 401


class TestScoping:
    def test_another_firms_complaint_is_404_on_every_endpoint(self, api, other_firm):
        theirs = make_complaint(firm=other_firm, received_at=london(2026, 4, 2, 16))
        assert api.get(url("api-complaint-detail", theirs.pk)).status_code == 404
        assert api.get(url("api-complaint-history", theirs.pk)).status_code == 404
        response = api.post(url("api-complaint-acknowledge", theirs.pk), {}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        theirs.refresh_from_db()
        assert theirs.status == Status.RECEIVED

    def test_list_shows_only_my_firms(self, api, firm, other_firm, complaint):
        make_complaint(firm=other_firm, received_at=london(2026, 4, 2, 16))
        body = api.get(url("api-complaints")).json()
        assert [c["id"] for c in body["results"]] == [complaint.pk]

    def test_user_without_any_firm_gets_403_on_list(self, db):
        from tests.factories import UserFactory

        client = client_for(UserFactory())
        response = client.get(url("api-complaints"))
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"

    @pytest.mark.parametrize(
        ("role", "action", "payload", "expected"),
        [
            ("reporting_officer", "acknowledge", {}, 403),
            ("admin", "acknowledge", {}, 403),
            ("handler", "reopen", {"reason": "New evidence"}, 403),
            ("reporting_officer", "assign", {"owner_id": None}, 403),
            ("supervisor", "assign", {"owner_id": None}, 200),
            ("handler", "acknowledge", {}, 200),
        ],
    )
    def test_each_action_needs_its_permission(
        self, firm, complaint, role, action, payload, expected
    ):
        client = client_for(member(firm, role))
        response = client.post(url(f"api-complaint-{action}", complaint.pk), payload, format="json")
        assert response.status_code == expected, response.json()
        if expected == 403:
            assert response.json()["code"] == "permission_denied"

    def test_reading_roles_can_retrieve_and_read_history(self, firm, complaint):
        for role in ("reporting_officer", "admin", "supervisor"):
            client = client_for(member(firm, role))
            assert client.get(url("api-complaint-detail", complaint.pk)).status_code == 200
            assert client.get(url("api-complaint-history", complaint.pk)).status_code == 200


class TestLifecycle:
    def test_full_path_to_closed_through_every_endpoint(
        self, firm, complaint, handler, time_machine
    ):
        supervisor = member(firm, "supervisor")
        api = client_for(supervisor)

        def act(name, payload=None):
            response = api.post(
                url(f"api-complaint-{name}", complaint.pk), payload or {}, format="json"
            )
            assert response.status_code == 200, response.json()
            return response.json()

        assert act("acknowledge")["status"] == "acknowledged"
        assert act("start-investigation")["status"] == "investigating"
        body = act("progress-update", {"progress": "We have asked the custodian for records."})
        assert body["status"] == "investigating"
        # DISP 1.6.2R(2)(b): the 8-week holding response waits until eight weeks after arrival.
        time_machine.move_to(london(2026, 5, 29, 9), tick=False)
        body = act("holding-response", {"reasons": "Waiting for the custodian."})
        assert body["status"] == "holding_response_sent"
        body = act("final-response", {"outcome": "upheld"})
        assert body["status"] == "final_response_sent"
        assert body["outcome"] == "upheld"
        assert act("close")["status"] == "closed"
        assert act("reopen", {"reason": "New evidence"})["status"] == "investigating"
        assert act("assign", {"owner_id": handler.pk})["owner"]["id"] == handler.pk

    def test_resolve_summary_within_the_src_window(self, api, complaint):
        response = api.post(
            url("api-complaint-resolve-summary", complaint.pk), {"outcome": "upheld"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "resolved_summary"

    def test_forward_withdraw_and_time_bar_endpoints(self, api, firm):
        a = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
        b = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
        c = make_complaint(
            firm=firm, received_at=london(2026, 4, 2, 16), event_date=london(2019, 1, 1).date()
        )
        forward = {"to_firm": "Custody Ltd", "to_contact": "c@custody.example", "reason": "Theirs"}
        r = api.post(url("api-complaint-forward", a.pk), forward, format="json")
        assert r.json()["status"] == "forwarded"
        r = api.post(url("api-complaint-withdraw", b.pk), {"reason": "Resolved"}, format="json")
        assert r.json()["status"] == "withdrawn"
        r = api.post(url("api-complaint-reject-time-barred", c.pk), {}, format="json")
        assert r.status_code == 200, r.json()
        assert r.json()["outcome"] == "time_barred"

    def test_disp_1_8_not_time_barred_is_a_coded_409_with_state(self, api, complaint):
        response = api.post(
            url("api-complaint-reject-time-barred", complaint.pk), {}, format="json"
        )
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "not_time_barred"
        assert body["rule"].startswith("DISP 1.8")
        assert body["status"] == "received"
        assert body["version"] == 1

    def test_invalid_state_is_409_with_current_status(self, api, complaint):
        response = api.post(url("api-complaint-close", complaint.pk), {}, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "disp_response_owed"
        api.post(url("api-complaint-acknowledge", complaint.pk), {}, format="json")
        again = api.post(url("api-complaint-acknowledge", complaint.pk), {}, format="json")
        assert again.status_code == 409
        assert again.json()["code"] == "invalid_state"
        assert again.json()["status"] == "acknowledged"

    def test_stale_if_match_is_409_and_changes_nothing(self, api, complaint):
        etag = api.get(url("api-complaint-detail", complaint.pk))["ETag"]
        first = api.post(
            url("api-complaint-acknowledge", complaint.pk), {}, format="json", HTTP_IF_MATCH=etag
        )
        assert first.status_code == 200
        second = api.post(
            url("api-complaint-withdraw", complaint.pk), {}, format="json", HTTP_IF_MATCH=etag
        )
        assert second.status_code == 409
        assert second.json()["code"] == "stale_version"
        assert second.json()["status"] == "acknowledged"
        assert second.json()["version"] == 2
        complaint.refresh_from_db()
        assert complaint.status == Status.ACKNOWLEDGED

    def test_expected_version_in_body_works_too(self, api, complaint):
        response = api.post(
            url("api-complaint-acknowledge", complaint.pk), {"expected_version": 7}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "stale_version"

    def test_malformed_if_match_is_400(self, api, complaint):
        response = api.post(
            url("api-complaint-acknowledge", complaint.pk), {}, format="json", HTTP_IF_MATCH="abc"
        )
        assert response.status_code == 400
        assert "If-Match" in response.json()["fields"]

    def test_missing_required_input_is_400_naming_the_field(self, api, complaint):
        response = api.post(url("api-complaint-reopen", complaint.pk), {}, format="json")
        assert response.status_code in (400, 403)
        response = api.post(url("api-complaint-forward", complaint.pk), {}, format="json")
        assert response.status_code == 400
        assert {"to_firm", "to_contact", "reason"} <= set(response.json()["fields"])

    def test_assign_to_non_member_is_400(self, api, complaint, other_firm):
        outsider = member(other_firm, "handler")
        response = api.post(
            url("api-complaint-assign", complaint.pk), {"owner_id": outsider.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["code"] == "owner_not_member"


class TestListFilters:
    @pytest.fixture
    def spread(self, firm, handler):
        vulnerable = ComplainantFactory(firm=firm, vulnerable_health=True)
        a = make_complaint(firm=firm, received_at=london(2026, 3, 2, 10), owner_id=handler.pk)
        b = make_complaint(firm=firm, received_at=london(2026, 4, 1, 10), complainant=vulnerable)
        c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), activity="staking")
        from complaints import services

        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
        return a, b, c

    def ids(self, api, **params):
        response = api.get(url("api-complaints"), params)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    def test_default_order_newest_first(self, api, spread):
        a, b, c = spread
        assert self.ids(api) == [c.pk, b.pk, a.pk]

    def test_filters(self, api, spread, handler):
        a, b, c = spread
        assert self.ids(api, status="acknowledged") == [c.pk]
        assert self.ids(api, status=["acknowledged", "received"]) == [c.pk, b.pk, a.pk]
        assert self.ids(api, activity="staking") == [c.pk]
        assert self.ids(api, owner=handler.pk) == [a.pk]
        assert self.ids(api, unassigned="true") == [c.pk, b.pk]
        assert self.ids(api, vulnerable="true") == [b.pk]
        assert self.ids(api, vulnerable="false") == [c.pk, a.pk]
        assert self.ids(api, received_from="2026-04-01", received_to="2026-04-01") == [b.pk]

    def test_deadline_filters_use_next_deadline(self, api, spread):
        a, b, c = spread
        # a: received 2 Mar, SRC window gone, final response due 27 Apr (next deadline).
        # b: received Wed 1 Apr, SRC by Wed 8 Apr (Good Friday, Easter Monday excluded).
        # c: received Thu 2 Apr, SRC by Thu 9 Apr (E1), still open after acknowledgement.
        body = {r["id"]: r for r in api.get(url("api-complaints")).json()["results"]}
        assert body[a.pk]["next_deadline_kind"] == "final_response"
        assert body[a.pk]["next_deadline"] == "2026-04-27"
        assert self.ids(api, deadline_before="2026-04-08") == [b.pk]
        assert self.ids(api, deadline_before="2026-04-09") == [c.pk, b.pk]
        assert self.ids(api, deadline_after="2026-04-20") == [a.pk]
        assert self.ids(api, ordering="next_deadline") == [b.pk, c.pk, a.pk]

    def test_bad_filter_value_is_400(self, api, spread):
        response = api.get(url("api-complaints"), {"status": "nope"})
        assert response.status_code == 400
        assert "status" in response.json()["fields"]


def _seed(firm, handler, n):
    from complaints import services

    for i in range(n):
        c = make_complaint(firm=firm, received_at=london(2026, 3, 1 + i, 10), actor=handler)
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)


def test_list_issues_a_constant_number_of_queries(api, firm, handler, django_assert_num_queries):
    _seed(firm, handler, 2)
    api.get(url("api-complaints"))  # the token's last_used_at is written once a minute at most
    # token with memberships, count, page: whatever the number of rows
    with django_assert_num_queries(3):
        assert len(api.get(url("api-complaints")).json()["results"]) == 2
    _seed(firm, handler, 8)
    with django_assert_num_queries(3):
        assert len(api.get(url("api-complaints")).json()["results"]) == 10


def test_history_issues_a_constant_number_of_queries(
    firm, handler, complaint, django_assert_num_queries
):
    from complaints import services

    api = client_for(handler)
    api.get(url("api-complaints"))  # token last_used written once
    with django_assert_num_queries(5) as first:
        assert len(api.get(url("api-complaint-history", complaint.pk)).json()["results"]) == 1
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    services.complaint_start_investigation(complaint_id=complaint.pk, actor=handler, now=NOW)
    services.complaint_add_note(complaint_id=complaint.pk, actor=handler, now=NOW, body="x")
    with django_assert_num_queries(len(first.captured_queries)):
        body = api.get(url("api-complaint-history", complaint.pk)).json()
    assert len(body["results"]) == 3


def test_history_shows_reason_user_and_changed_fields(api, complaint, handler):
    api.post(url("api-complaint-acknowledge", complaint.pk), {}, format="json")
    records = api.get(url("api-complaint-history", complaint.pk)).json()["results"]
    assert [r["change_reason"] for r in records] == ["complaint.register", "complaint.acknowledge"]
    assert records[0]["type"] == "+"
    assert records[1]["user"]["id"] == handler.pk
    changes = {c["field"]: c for c in records[1]["changed_fields"]}
    assert changes["status"] == {"field": "status", "old": "received", "new": "acknowledged"}
    assert changes["version"]["new"] == 2
    assert "acknowledged_at" in changes


def test_history_paging_diffs_against_the_previous_page(api, complaint, handler):
    from complaints import services

    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    page2 = api.get(url("api-complaint-history", complaint.pk), {"page": 2, "page_size": 1}).json()
    assert page2["results"][0]["changed_fields"]
    assert page2["results"][0]["status"] == "acknowledged"


class TestDeadlineCalculator:
    def test_get_matches_the_command(self, api):
        response = api.get(
            url("api-deadlines"), {"received": "2026-04-02T16:00", "nation": "england"}
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["summary_resolution_deadline"] == "2026-04-09"
        assert body["final_response_due"] == "2026-05-28"
        assert body["rules"]["summary_resolution_deadline"] == "DISP 1.5.1R"

    def test_post_psd(self, api):
        response = api.post(
            url("api-deadlines"),
            {"received": "2026-04-02T16:00:00+01:00", "nation": "scotland", "regime": "psd"},
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["regime"] == "psd_emd"

    def test_bad_input_is_400_naming_fields(self, api):
        response = api.get(url("api-deadlines"), {"received": "yesterday", "nation": "mars"})
        assert response.status_code == 400
        assert {"received", "nation"} <= set(response.json()["fields"])


def test_schema_and_docs_are_served_to_signed_in_users(client, handler):
    # Signed-out visitors get nothing (the isolation test checks every URL signed out).
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(handler)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/complaints/{id}/resolve-summary/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
