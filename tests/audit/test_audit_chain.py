"""The tamper-evident audit trail (issue 15 item 6; DISP 1.3 oversight, DISP 1.9 retention):
every history row and sent letter is chained per object; tampering is named, TRUNCATE and the
deletion of sent letters are refused, and only DISP 1.9 retention rewrites history, leaving a
tombstone that keeps the chain verifiable. Real PostgreSQL throughout."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from common.chain import link_hash, verify_chains
from common.chain_sql import (
    GENESIS,
    apply_stable_settings,
    install_chains,
    truncate_guarded_tables,
)
from common.models import ChainHead, ChainLayout, ChainLink
from complaints import services as complaint_services
from complaints.models import Complaint, Note
from complaints.services.retention import REASON, complaints_anonymise
from letters.models import Letter
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

HC = "complaints_historicalcomplaint"


def _closed_case(firm, owner) -> Complaint:
    """A complaint acknowledged, answered by letter (two sent letters), closed."""
    at = london(2023, 4, 13, 11)
    c = make_complaint(firm=firm, received_at=at.replace(hour=10), owner_id=owner.pk)
    complaint_services.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=at)
    complaint_services.complaint_start_investigation(complaint_id=c.pk, actor=owner, now=at)
    complaint_services.complaint_add_note(
        complaint_id=c.pk, actor=owner, now=at, body="Called Mrs Example on 07700 900123."
    )
    complaint_services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=owner,
        now=at.replace(hour=15),
        outcome="upheld",
        summary="We refunded Mrs Example £120.",
    )
    complaint_services.complaint_close(complaint_id=c.pk, actor=owner, now=at.replace(hour=16))
    return Complaint.objects.get(pk=c.pk)


def _report(table: str):
    return next(r for r in verify_chains() if r.table == table)


def _tamper(sql: str, params: list) -> None:
    """What a superuser can always do: switch triggers off for the session and rewrite."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _verify_command() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit_chain", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_every_history_row_and_sent_letter_is_chained_per_object(firm, supervisor):
    c = _closed_case(firm, supervisor)
    rows = list(Complaint.history.filter(id=c.pk).order_by("history_id"))
    links = list(ChainLink.objects.filter(table_name=HC, object_id=str(c.pk)).order_by("seq"))
    assert [link.row_id for link in links] == [r.history_id for r in rows]
    assert [link.seq for link in links] == list(range(1, len(rows) + 1))
    # Each link's hash is SHA-256 of the previous link's hash and the row's content hash.
    prev = GENESIS
    for link in links:
        assert link.prev_hash == prev
        assert link.hash == hashlib.sha256((prev + link.payload_hash).encode()).hexdigest()
        prev = link.hash
    head = ChainHead.objects.get(table_name=HC, object_id=str(c.pk))
    assert (head.seq, head.hash) == (len(rows), prev)
    # Sent letters: one chain per complaint, in the order they were sent.
    sent = list(Letter.objects.filter(complaint=c, status="sent").order_by("id"))
    assert len(sent) >= 2
    letter_links = ChainLink.objects.filter(table_name="letters_letter", object_id=str(c.pk))
    assert list(letter_links.order_by("seq").values_list("row_id", flat=True)) == [
        letter.pk for letter in sent
    ]
    assert all(r.breaks == [] for r in verify_chains())
    assert _verify_command()[0] == 0


def test_canonical_content_is_stable_sorted_keys_iso_dates_decimals_as_text():
    with connection.cursor() as cursor:
        # Whatever the session's time zone, the trigger and the verifier set their own.
        cursor.execute("SET LOCAL TimeZone = 'America/New_York'")
        apply_stable_settings(cursor)
        cursor.execute(
            "CREATE TEMP TABLE canon (b text, a int, at timestamptz, amount numeric, ok bool, "
            "none date) ON COMMIT DROP"
        )
        cursor.execute(
            "INSERT INTO canon VALUES ('x\"y', 1, '2026-04-06 10:00+01', 12.50, true, NULL)"
        )
        cursor.execute(
            "SELECT audit_chain_canonical(audit_chain_jsonb(r), "
            '\'["b", "a", "at", "amount", "ok", "none"]\'::jsonb) FROM canon r'
        )
        text = cursor.fetchone()[0]
    assert text == (
        '{"a":"1","amount":"12.50","at":"2026-04-06T09:00:00+00:00","b":"x\\"y",'
        '"none":null,"ok":"true"}'
    )


# The canonical function as issue 15 shipped it (a sort per row), kept here to prove the faster
# one (issue 18: one generated expression per layout) writes the same text, so rows chained
# before verify now and rows chained now would have verified then.
_OLD_CANONICAL = """
CREATE FUNCTION pg_temp.old_canonical(d jsonb, cols jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT '{' || coalesce(string_agg(
           to_json(c)::text || ':' ||
           CASE WHEN d -> c IS NULL OR jsonb_typeof(d -> c) = 'null' THEN 'null'
                ELSE to_json(d ->> c)::text END,
           ',' ORDER BY c COLLATE "C"), '') || '}'
  FROM jsonb_array_elements_text(cols) AS c
$$"""


def _documented_canonical(cursor, table: str, row_column: str, row_id: int, cols: list) -> str:
    """The documented rule, in Python: the row's to_jsonb values as text, keys sorted bytewise."""
    cursor.execute(
        f"SELECT j.key, j.value FROM {table} t, jsonb_each_text(to_jsonb(t)) j "
        f"WHERE t.{row_column} = %s",
        [row_id],
    )
    values = dict(cursor.fetchall())
    keys = sorted(cols, key=lambda k: k.encode())
    return (
        "{"
        + ",".join(
            json.dumps(k, ensure_ascii=False)
            + ":"
            + ("null" if values.get(k) is None else json.dumps(values[k], ensure_ascii=False))
            for k in keys
        )
        + "}"
    )


def test_canonical_content_and_hashes_are_those_of_the_old_function_old_links_verify(
    firm, supervisor
):
    c = _closed_case(firm, supervisor)
    with connection.cursor() as cursor:
        apply_stable_settings(cursor)
        cursor.execute(_OLD_CANONICAL)
        # Awkward values: quotes, backslash, control characters, non-ASCII, JSON, null, decimal.
        cursor.execute(
            'CREATE TEMP TABLE canon ("Z" text, b text, a_b int, ab jsonb, at timestamptz, '
            'amount numeric, ok bool, none date, "é" text) ON COMMIT DROP'
        )
        cursor.execute(
            'INSERT INTO canon VALUES (\'q"\\ \n\t\x01 £€\', NULL, 7, \'{"k": [1, "v"]}\', '
            "'2026-04-06 10:00+01', 12.50, false, NULL, 'é')"
        )
        cols = ["b", "a_b", "ab", "at", "amount", "ok", "none", "é", "Z", "missing"]
        cursor.execute(
            "SELECT audit_chain_canonical(audit_chain_jsonb(r), %s::jsonb), "
            "pg_temp.old_canonical(audit_chain_jsonb(r), %s::jsonb) FROM canon r",
            [json.dumps(cols), json.dumps(cols)],
        )
        new, old = cursor.fetchone()
        assert new == old
        assert new.startswith('{"Z":"q\\"\\\\ \\n\\t\\u0001 £€","a_b":"7","ab":"{\\"k\\": [1, ')
        assert new.endswith(',"missing":null,"none":null,"ok":"false","é":"é"}')

        # Every link of a real record: its payload hash is the documented (old) rule's text.
        cursor.execute(
            "SELECT l.row_id, l.payload_hash, cl.columns::text, "
            f"pg_temp.old_canonical(audit_chain_jsonb(h), cl.columns) FROM common_chainlink l "
            f"JOIN common_chainlayout cl ON cl.id = l.layout_id JOIN {HC} h "
            "ON h.history_id = l.row_id WHERE l.table_name = %s AND l.object_id = %s",
            [HC, str(c.pk)],
        )
        links = cursor.fetchall()
        for row_id, payload_hash, columns, old_text in links:
            text = _documented_canonical(cursor, HC, "history_id", row_id, json.loads(columns))
            assert text == old_text
            assert hashlib.sha256(text.encode()).hexdigest() == payload_hash
    assert len(links) == Complaint.history.filter(id=c.pk).count() > 1
    assert all(r.breaks == [] for r in verify_chains())


def test_rows_read_column_by_column_give_the_text_of_their_jsonb():
    """The insert trigger reads each column by its type instead of building the row's jsonb
    (issue 18): the same canonical text for every kind of value, empty, null and missing."""
    with connection.cursor() as cursor:
        apply_stable_settings(cursor)
        cursor.execute(
            'CREATE TEMP TABLE typed ("Z" text, "é" varchar(20), c char(4), i int, s smallint, '
            "b bigint, t bool, j jsonb, ts timestamptz, d date, n numeric, f float8, a int[], "
            "u uuid, iv interval, w timestamp) ON COMMIT DROP"
        )
        cursor.execute(
            "INSERT INTO typed VALUES (%s, 'é\"', 'ab', -7, 0, 9007199254740993, true, "
            "'{\"k\": [1, \"v\"], \"n\": null}', '2026-04-06 10:00:00.5+01', '2026-04-06', "
            "12.50, 0.1, '{1,NULL}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 2 hours'), "
            "('', '', '', 0, NULL, NULL, false, 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
            "(NULL, NULL, NULL, 2147483647, -32768, -1, NULL, '\"s\"', 'infinity', '-infinity', "
            "'NaN', 'Infinity', '{}', NULL, NULL)",
            ['q"\\ \n\t\x01 £€'],
        )
        cols = [
            "Z",
            "é",
            "c",
            "i",
            "s",
            "b",
            "t",
            "j",
            "ts",
            "d",
            "n",
            "f",
            "a",
            "u",
            "iv",
            "w",
            "gone",
        ]
        cursor.execute(
            "SELECT audit_chain_canonical_expr(%s::jsonb, 'x', audit_chain_types('typed'))",
            [json.dumps(cols)],
        )
        by_column = cursor.fetchone()[0].replace("%", "%%")
        cursor.execute(
            f"SELECT {by_column}, audit_chain_canonical(audit_chain_jsonb(x), %s::jsonb) "
            "FROM typed x",
            [json.dumps(cols)],
        )
        rows = cursor.fetchall()
    assert len(rows) == 3
    for typed, from_jsonb in rows:
        assert typed == from_jsonb
    assert '"t":"true"' in rows[0][0] and '"i":"-7"' in rows[0][0] and '"gone":null' in rows[0][0]


def test_a_tampered_history_row_is_named_by_the_command_and_the_page(firm, supervisor, client):
    c = _closed_case(firm, supervisor)
    other = _closed_case(firm, supervisor)
    row = Complaint.history.filter(id=c.pk).order_by("history_id").first()
    _tamper(f"UPDATE {HC} SET description = 'rewritten' WHERE history_id = %s", [row.history_id])

    code, out = _verify_command()
    assert code == 1
    broken = [line for line in out.splitlines() if line.startswith("BROKEN")]
    assert broken == [f"BROKEN {HC} object {c.pk} row {row.history_id}: the row was changed"]
    report = _report(HC)
    assert report.broken_chains == 1 and report.intact_chains == report.chains - 1
    assert str(other.pk) not in {b.object_id for b in report.breaks}

    client.force_login(supervisor)
    page = client.get(reverse("audit:chains"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 of" in html and "broken" in html
    assert f"<td>{HC}</td><td>{c.pk}</td><td>{row.history_id}</td>" in html
    assert "The row was changed" in html


def test_a_deleted_or_slipped_in_row_and_a_cut_chain_end_are_named(firm, supervisor):
    c = _closed_case(firm, supervisor)
    notes = Note.history.filter(complaint_id=c.pk)
    note = notes.get()
    table = Note.history.model._meta.db_table
    _tamper(f"DELETE FROM {table} WHERE history_id = %s", [note.history_id])
    cols = ", ".join(
        f.column for f in Complaint.history.model._meta.fields if f.column != "history_id"
    )
    _tamper(
        f"INSERT INTO {HC} ({cols}) SELECT {cols} FROM {HC} WHERE history_id = %s",
        [Complaint.history.filter(id=c.pk).first().history_id],
    )
    letter = Letter.objects.filter(complaint=c, status="sent").order_by("id").last()
    _tamper(
        "DELETE FROM common_chainlink WHERE table_name = 'letters_letter' AND row_id = %s",
        [letter.pk],
    )
    problems = {(b.table, b.problem) for r in verify_chains() for b in r.breaks}
    assert (table, "the row was deleted") in problems
    assert (HC, "the row is not in the chain") in problems
    assert ("letters_letter", "the row is not in the chain") in problems
    assert (
        "letters_letter",
        "the chain does not end where its head says (links removed from its end?)",
    ) in problems


def test_truncate_of_history_sent_letters_and_the_chain_is_refused(firm, supervisor):
    _closed_case(firm, supervisor)
    guarded = set(truncate_guarded_tables())
    assert {HC, "letters_letter", "common_chainlink", "common_chainhead"} <= guarded
    for table in (HC, "letters_letter", "common_chainlink", "common_historyrewrite"):
        with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic():
            connection.cursor().execute(f"TRUNCATE {table} CASCADE")
    # CASCADE from the complaints reaches the letters and is refused there too.
    with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic():
        connection.cursor().execute("TRUNCATE complaints_complaint CASCADE")


def test_delete_of_a_sent_letter_is_refused_even_by_raw_sql(firm, supervisor):
    c = _closed_case(firm, supervisor)
    letter = Letter.objects.filter(complaint=c, status="sent").first()
    with pytest.raises(DatabaseError, match="sent and cannot be deleted"), transaction.atomic():
        connection.cursor().execute("DELETE FROM letters_letter WHERE id = %s", [letter.pk])
    with pytest.raises(DatabaseError, match="sent and cannot be deleted"), transaction.atomic():
        connection.cursor().execute("DELETE FROM letters_letter WHERE complaint_id = %s", [c.pk])
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_a_chain_layout_cannot_be_changed_or_deleted_even_by_raw_sql(firm, supervisor):
    """Links name their layout by id without a foreign key (its check at COMMIT cost more than
    the link): the database keeps every recorded layout as it is instead."""
    _closed_case(firm, supervisor)
    link = ChainLink.objects.filter(table_name=HC).first()
    layout = ChainLayout.objects.get(pk=link.layout_id)
    for sql in (
        "DELETE FROM common_chainlayout WHERE id = %s",
        "UPDATE common_chainlayout SET columns = '[]'::jsonb WHERE id = %s",
        "UPDATE common_chainlayout SET table_name = 'other' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="is fixed"), transaction.atomic():
            connection.cursor().execute(sql, [layout.pk])
    assert ChainLayout.objects.get(pk=layout.pk).columns == layout.columns
    assert _report(HC).breaks == []
    # A superuser can still remove one (triggers off): every row hashed over it is named.
    _tamper("DELETE FROM common_chainlayout WHERE id = %s", [layout.pk])
    broken = {b.row_id for b in _report(HC).breaks}
    assert broken and broken == set(
        ChainLink.objects.filter(table_name=HC, layout_id=layout.pk).values_list(
            "row_id", flat=True
        )
    )


def test_setting_the_old_retention_variable_does_not_open_history(firm, supervisor):
    """The escape is no longer a session variable anyone can set."""
    c = _closed_case(firm, supervisor)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('app.history_rewrite', 'retention', true)")
        cursor.execute(f"UPDATE {HC} SET description = 'x' WHERE id = %s", [c.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(f"DELETE FROM {HC} WHERE id = %s", [c.pk])
    # Nor can a session write the allowance row itself (as any role without the owner's rights:
    # tests/audit/test_audit_chain_roles.py); nor open it for another reason.
    with pytest.raises(DatabaseError, match="DISP 1.9 retention"), transaction.atomic():
        connection.cursor().execute("SELECT audit_history_rewrite_open('tidy-up', 'me')")


def test_disp_1_9_retention_leaves_tombstones_that_keep_every_chain_verifiable(firm, supervisor):
    c = _closed_case(firm, supervisor)
    original = {
        link.row_id: link.payload_hash
        for link in ChainLink.objects.filter(table_name=HC, object_id=str(c.pk), kind="row")
    }
    done = complaints_anonymise(complaint_ids=[c.pk], actor=supervisor, now=london(2026, 4, 14))
    assert done.complaint_ids == [c.pk]

    assert all(r.breaks == [] for r in verify_chains()), [
        str(b) for r in verify_chains() for b in r.breaks
    ]
    tombstones = ChainLink.objects.filter(table_name=HC, object_id=str(c.pk), kind="rewrite")
    assert tombstones.count() == len(original)  # every earlier version held the description
    for t in tombstones:
        assert t.removed_hash == original[t.row_id]  # the hash of what was removed
        assert t.actor == f"{supervisor.get_username()} (user {supervisor.pk})"
        assert t.reason == "retention" and t.at is not None
        assert t.hash == link_hash(t.prev_hash, t.payload_hash)
    assert Complaint.history.filter(id=c.pk).first().history_change_reason == REASON
    assert _verify_command()[0] == 0


def test_a_bulk_insert_chains_every_row_in_order(firm):
    """simple-history's bulk paths write many rows in one statement: each is chained."""
    complaints = [make_complaint(firm=firm, received_at=london(2026, 4, 6, 10)) for _ in range(3)]
    model = Complaint.history.model
    template = list(model.objects.filter(id__in=[c.pk for c in complaints]))
    copies = []
    for _ in range(4):
        for row in template:
            row.pk = None
            copies.append(model(**{f.attname: getattr(row, f.attname) for f in model._meta.fields}))
    model.objects.bulk_create(copies)
    for c in complaints:
        seqs = ChainLink.objects.filter(table_name=HC, object_id=str(c.pk)).order_by("seq")
        rows = list(
            model.objects.filter(id=c.pk).order_by("history_id").values_list("pk", flat=True)
        )
        assert list(seqs.values_list("row_id", flat=True)) == rows
    assert _report(HC).breaks == []


def test_backfill_chains_the_rows_of_a_table_chained_for_the_first_time(firm, supervisor):
    """What the migration does for a database with history already stored."""
    c = _closed_case(firm, supervisor)
    table = Note.history.model._meta.db_table
    connection.cursor().execute(f"DROP TRIGGER audit_chain_insert ON {table}")
    complaint_services.complaint_add_note(
        complaint_id=c.pk, actor=supervisor, now=london(2023, 4, 14, 9), body="Later note."
    )
    assert any(b.problem == "the row is not in the chain" for b in _report(table).breaks)
    install_chains()
    assert _report(table).breaks == []
    latest = Note.history.order_by("-history_id").first()
    assert ChainLink.objects.filter(table_name=table, row_id=latest.history_id).exists()
