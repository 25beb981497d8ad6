"""``common.bulk``'s single-row writes are prepared statements on PostgreSQL (issue 18: the API
create's rows, its outbox intent and idempotency key): the server parses and plans each once per
connection; the query log records them as sent; a bulk write's statements are not kept; with
prepared statements turned off (``DB_PREPARED_READS=false``) nothing is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.bulk import insert_rows, update_row
from common.models import OutboxMessage

pytestmark = pytest.mark.django_db

_COLUMNS = ["kind", "payload", "dedupe_key", "state", "attempts", "last_error"]
_COLUMNS += ["next_attempt_at", "created_at"]


def _row(key: str) -> list:
    now = timezone.now()
    return ["tests.kind", {"n": key}, key, "pending", 0, "", now, now]


def _on_server(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [sql])
        return cursor.fetchone()[0]


def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("prepared statements are tested on PostgreSQL (set DATABASE_URL)")


def test_a_single_row_insert_and_update_are_prepared_once_and_logged_as_sent():
    _postgresql()
    with CaptureQueriesContext(connection) as ctx:
        ids = [
            insert_rows(OutboxMessage, _COLUMNS, [_row(f"p-{n}")], returning="id")[0]
            for n in (1, 2)
        ]
        for pk in ids:
            update_row(OutboxMessage, pk, {"attempts": 3, "payload": {"done": pk}})
    insert, again, update, update_again = (q["sql"] for q in ctx.captured_queries)
    assert insert == again and insert.startswith('INSERT INTO "common_outboxmessage"')
    assert update == update_again and update.startswith('UPDATE "common_outboxmessage"')
    assert "$1" in insert and "$1" in update  # the statement as the server was sent it
    assert _on_server(insert) == 1 and _on_server(update) == 1
    rows = OutboxMessage.objects.filter(pk__in=ids).order_by("pk")
    assert [(m.attempts, m.payload) for m in rows] == [(3, {"done": pk}) for pk in ids]


def test_a_bulk_insert_is_not_kept_on_the_server():
    _postgresql()
    with CaptureQueriesContext(connection) as ctx:
        insert_rows(OutboxMessage, _COLUMNS, [_row("b-1"), _row("b-2")])
    [bulk] = (q["sql"] for q in ctx.captured_queries)
    assert _on_server(bulk) == 0
    assert OutboxMessage.objects.filter(dedupe_key__startswith="b-").count() == 2


def test_with_prepared_statements_turned_off_a_single_row_write_is_not_prepared():
    _postgresql()
    connection.ensure_connection()
    raw = connection.connection
    saved, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        with CaptureQueriesContext(connection) as ctx:
            # Other statements than the test above's (no RETURNING, another column).
            insert_rows(OutboxMessage, _COLUMNS, [_row("off-1")])
            pk = OutboxMessage.objects.get(dedupe_key="off-1").pk
            update_row(OutboxMessage, pk, {"last_error": "x"})
    finally:
        raw.prepare_threshold = saved
    insert, _read, update = (q["sql"] for q in ctx.captured_queries)
    assert _on_server(insert) == 0 and _on_server(update) == 0
    assert OutboxMessage.objects.get(pk=pk).last_error == "x"
