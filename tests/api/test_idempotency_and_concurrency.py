"""Idempotency-Key on create, and two clients acting at once: never a second complaint, never a
lost update, never a 500. The concurrent tests use real PostgreSQL connections, one per thread."""

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import pre_save
from django.urls import reverse

from complaints.choices import Status
from complaints.models import Complaint
from intake.models import IdempotencyKey
from tests.api.conftest import client_for, member
from tests.factories import london, make_complaint

CREATE = {
    "received_at": "2026-04-02T16:00:00+01:00",
    "channel": "email",
    "activity": "operating_catp",
    "description": "My withdrawal has been pending for ten days.",
    "alleged_financial_loss": True,
    "complainant": {"name": "Jo Bloggs"},
}
URL = "/api/complaints/"


@pytest.mark.django_db
class TestIdempotencyKey:
    def test_same_key_same_body_returns_the_original_response(self, api):
        first = api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == 201
        # Key order does not matter: the body is compared in canonical form.
        replay = api.post(
            URL, dict(reversed(CREATE.items())), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        assert replay.status_code == 200
        assert replay["Idempotent-Replayed"] == "true"
        assert replay.json() == first.json()
        assert Complaint.objects.count() == 1

    def test_same_key_different_body_is_409(self, api):
        first = api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        other = api.post(
            URL, {**CREATE, "channel": "phone"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        assert other.status_code == 409
        body = other.json()
        assert body["code"] == "idempotency_key_reused"
        assert body["complaint_id"] == first.json()["id"]
        assert set(body) >= {"code", "message", "fields"}
        assert Complaint.objects.count() == 1

    def test_keys_are_per_user(self, api, firm):
        other = client_for(member(firm, "handler"))
        assert api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
        assert other.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
        assert Complaint.objects.count() == 2

    def test_a_refused_create_does_not_consume_the_key(self, api):
        bad = api.post(
            URL,
            {**CREATE, "received_at": "2030-01-01T00:00:00Z"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-2",
        )
        assert bad.status_code == 400
        assert not IdempotencyKey.objects.exists()
        good = api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
        assert good.status_code == 201

    def test_without_a_key_each_post_creates(self, api):
        api.post(URL, CREATE, format="json")
        api.post(URL, CREATE, format="json")
        assert Complaint.objects.count() == 2

    @pytest.mark.parametrize("key", ["", "x" * 256, "clé"])
    def test_invalid_key_is_400(self, api, key):
        response = api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 400
        assert response.json()["code"] == "idempotency_key_invalid"
        assert Complaint.objects.count() == 0


def _hold_first(thread_name: str, first_in: threading.Event, second_started: threading.Event):
    """Hold the first thread inside its transaction (at the complaint save) until the second
    thread has started its request and had time to reach the database lock."""

    def handler(sender, instance, **kwargs):
        if threading.current_thread().name == thread_name and not first_in.is_set():
            first_in.set()
            second_started.wait(5)
            time.sleep(0.5)

    return handler


def _run_two(first, second):
    first_in, second_started = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def run(name, fn):
        try:
            if name == "second":
                first_in.wait(5)
                second_started.set()
            results[name] = fn()
        except Exception as exc:  # surfaced by the assertions below
            results[name] = exc
        finally:
            connection.close()

    hold = _hold_first("first", first_in, second_started)
    pre_save.connect(hold, sender=Complaint)
    try:
        threads = [
            threading.Thread(target=run, args=(n, f), name=n)
            for n, f in (("first", first), ("second", second))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        pre_save.disconnect(hold, sender=Complaint)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_complaint(firm, handler):
    if connection.vendor != "postgresql":
        pytest.fail("concurrency is tested on PostgreSQL (set DATABASE_URL)")
    first, second = client_for(handler), client_for(handler)

    def post(client):
        return lambda: client.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    results = _run_two(post(first), post(second))
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 201], results
    assert results["first"].status_code == 201
    assert results["second"].json() == results["first"].json()
    assert Complaint.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clients_acting_at_once_get_one_success_and_one_409(firm, handler):
    if connection.vendor != "postgresql":
        pytest.fail("concurrency is tested on PostgreSQL (set DATABASE_URL)")
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    a, b = client_for(handler), client_for(handler)
    url = reverse("api-complaint-acknowledge", args=[complaint.pk])
    withdraw = reverse("api-complaint-withdraw", args=[complaint.pk])
    results = _run_two(
        lambda: a.post(url, {}, format="json"),
        lambda: b.post(withdraw, {"expected_version": 1}, format="json"),
    )
    assert results["first"].status_code == 200, results["first"].json()
    conflict = results["second"]
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "stale_version"
    assert conflict.json()["status"] == Status.ACKNOWLEDGED
    assert conflict.json()["version"] == 2
    complaint.refresh_from_db()
    assert (complaint.status, complaint.version) == (Status.ACKNOWLEDGED, 2)


@pytest.mark.django_db(transaction=True)
def test_acknowledge_that_loses_to_a_withdraw_never_answers_200_withdrawn(firm, handler):
    """DISP 1.6.1R(1) acknowledgement against a concurrent withdrawal, on two real PostgreSQL
    connections: the withdraw commits the moment the acknowledge has committed. The
    acknowledge's answer is the state it left (200 acknowledged) or a coded 409, never a 200
    whose body says the complaint is withdrawn."""
    if connection.vendor != "postgresql":
        pytest.fail("concurrency is tested on PostgreSQL (set DATABASE_URL)")
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    a, b = client_for(handler), client_for(handler)
    acknowledge = reverse("api-complaint-acknowledge", args=[complaint.pk])
    withdraw = reverse("api-complaint-withdraw", args=[complaint.pk])
    committed, withdrawn = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def hold_after_commit(sender, instance, **kwargs):
        # The acknowledge waits, once its work is committed, until the withdraw has run.
        if threading.current_thread().name == "acknowledge" and not committed.is_set():
            transaction.on_commit(let_the_withdraw_run)

    def let_the_withdraw_run():
        committed.set()
        withdrawn.wait(5)

    def run(name, fn):
        try:
            results[name] = fn()
        except Exception as exc:  # surfaced by the assertions below
            results[name] = exc
        finally:
            if name == "withdraw":
                withdrawn.set()
            connection.close()

    def withdraw_once_acknowledged():
        committed.wait(5)
        return b.post(withdraw, {}, format="json")

    pre_save.connect(hold_after_commit, sender=Complaint)
    try:
        threads = [
            threading.Thread(
                target=run,
                args=("acknowledge", lambda: a.post(acknowledge, {}, format="json")),
                name="acknowledge",
            ),
            threading.Thread(
                target=run, args=("withdraw", withdraw_once_acknowledged), name="withdraw"
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        pre_save.disconnect(hold_after_commit, sender=Complaint)
    ack = results["acknowledge"]
    assert not isinstance(ack, Exception), ack
    body = ack.json()
    if ack.status_code == 200:
        assert body["status"] == Status.ACKNOWLEDGED, body
        assert ack["ETag"] == f'"{body["version"]}"'
    else:
        assert ack.status_code == 409 and body["code"], body
    assert results["withdraw"].status_code == 200, results["withdraw"].json()
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
