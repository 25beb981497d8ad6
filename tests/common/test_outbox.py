"""The transactional outbox (issue #15 item 1): the intent commits with the change or not at all,
failures back off and give up, a person's retry re-arms, only marked handlers ever run, and a
message another worker holds is skipped (``FOR UPDATE SKIP LOCKED``), never run twice at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from common import outbox
from common.models import OutboxMessage, OutboxState

CALLS: list[dict] = []


@outbox.handler
def flaky(payload, now):
    CALLS.append(payload)
    return "mail server said no" if payload.get("fail") else None


@outbox.handler
def exploding(payload, now):
    OutboxMessage.objects.filter(dedupe_key="victim").delete()  # rolled back with the error
    raise ConnectionRefusedError("broker down")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


@pytest.mark.django_db
def test_the_intent_is_written_with_the_change_or_not_at_all(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.write(flaky, key="rolled-back", n=1)
        raise RuntimeError("the state change fails after the intent was written")
    assert not OutboxMessage.objects.filter(dedupe_key="rolled-back").exists()
    assert callbacks == []  # and no attempt is made after a rollback


@pytest.mark.django_db
def test_writing_an_intent_again_keeps_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.write(flaky, key="once", n=1)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.write(flaky, key="once", n=1)  # delivered: re-armed, delivered again
    assert OutboxMessage.objects.filter(dedupe_key="once").count() == 1
    assert CALLS == [{"n": 1}, {"n": 1}]
    assert OutboxMessage.objects.get(dedupe_key="once").state == OutboxState.SENT


@pytest.mark.django_db
def test_a_failing_message_backs_off_gives_up_and_a_persons_retry_rearms_it(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    t0 = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        outbox.write(flaky, key="failing", now=t0, fail=True)

    assert outbox.sweep(now=t0).retrying == 1
    message = OutboxMessage.objects.get(dedupe_key="failing")
    assert (message.state, message.attempts) == (OutboxState.PENDING, 1)
    assert message.last_error == "mail server said no"
    assert message.next_attempt_at == t0 + timedelta(seconds=60)
    assert outbox.sweep(now=t0 + timedelta(seconds=59)).as_dict() == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
    }  # not due yet
    outbox.sweep(now=t0 + timedelta(seconds=60))
    message.refresh_from_db()
    assert message.next_attempt_at == t0 + timedelta(seconds=60 + 120)  # doubled
    assert outbox.sweep(now=t0 + timedelta(seconds=180)).failed == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.FAILED, 3)
    assert outbox.sweep(now=t0 + timedelta(days=1)).as_dict()["retrying"] == 0  # left alone
    assert len(CALLS) == 3

    with django_capture_on_commit_callbacks(execute=False):
        outbox.write(flaky, key="failing", now=t0 + timedelta(days=1), rearm=True, fail=False)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (OutboxState.PENDING, 0, "")
    assert outbox.sweep(now=t0 + timedelta(days=1)).delivered == 1


@pytest.mark.django_db
def test_an_exception_rolls_back_the_handlers_writes_and_is_retried(
    django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=False):
        outbox.write(flaky, key="victim", n=1)
        outbox.write(exploding, key="boom")
    outbox.sweep(now=timezone.now() + timedelta(seconds=1))
    boom = OutboxMessage.objects.get(dedupe_key="boom")
    assert boom.state == OutboxState.PENDING and boom.attempts == 1
    assert boom.last_error == "ConnectionRefusedError: broker down"
    assert OutboxMessage.objects.filter(dedupe_key="victim").exists()
    assert "attempt 1 failed; will retry" in caplog.text


@pytest.mark.django_db
def test_only_functions_marked_as_handlers_are_ever_run(tmp_path):
    target = tmp_path / "keep"
    target.mkdir()
    now = timezone.now()
    OutboxMessage.objects.create(
        kind="shutil.rmtree",
        payload={"path": str(target)},
        dedupe_key="forged",
        state=OutboxState.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    outbox.sweep(now=now)
    assert target.exists()
    assert OutboxMessage.objects.get(dedupe_key="forged").last_error == (
        "LookupError: shutil.rmtree is not an outbox handler"
    )


@pytest.mark.django_db(transaction=True)
def test_a_message_another_worker_holds_is_skipped_not_run_twice():
    if connection.vendor != "postgresql":
        pytest.fail("SKIP LOCKED is checked on PostgreSQL")
    message = outbox.write(flaky, key="held", now=timezone.now() - timedelta(seconds=1), n=7)
    CALLS.clear()  # the on-commit attempt ran eagerly; hold a fresh copy
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.PENDING)
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        assert outbox.sweep(now=timezone.now()).delivered == 0  # skipped, not waited for
        assert outbox.deliver(message.pk, now=timezone.now()) is None
    finally:
        release.set()
        thread.join(10)
    assert CALLS == []
    assert outbox.sweep(now=timezone.now()).delivered == 1
    assert CALLS == [{"n": 7}]


@pytest.mark.django_db
def test_a_key_is_unique_by_one_index_and_no_pattern_index():
    """The key's unique constraint (and its index) stays; the LIKE index ``unique=True`` added
    on PostgreSQL, which no read uses, is gone: a register import writes a message per
    complaint, and each is an entry in every index (issue 18)."""
    from django.db import IntegrityError

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'common_outboxmessage'::regclass ORDER BY 1"
        )
        indexes = dict(cursor.fetchall())
    assert sorted(indexes) == [
        "common_outboxmessage_dedupe_key_key",
        "common_outboxmessage_pkey",
        "outbox_pending_due",
    ]
    assert "UNIQUE" in indexes["common_outboxmessage_dedupe_key_key"]
    assert not [d for d in indexes.values() if "pattern_ops" in d]
    now = timezone.now()
    outbox.write(flaky, key="once", now=now, n=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            kind="x",
            dedupe_key="once",
            state=OutboxState.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
    assert OutboxMessage.objects.filter(dedupe_key="once").count() == 1
