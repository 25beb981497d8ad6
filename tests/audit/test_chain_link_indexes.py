"""The chain's links carry one index besides their key (issue 18): (table, object, seq), the
chain in order. A row's own link is found through it by the row's object and id, so the
index on (table, row), an entry for every link written, is gone."""

from __future__ import annotations

import pytest
from django.db import connection

from common.chain import verify_chains
from common.models import ChainLink
from complaints.models import Complaint
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

HC = Complaint.history.model._meta.db_table


def _plan(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_the_links_are_indexed_by_their_key_and_their_chain_only():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = 'common_chainlink'::regclass ORDER BY 1"
        )
        assert [r[0] for r in cursor.fetchall()] == ["common_chainlink_pkey", "uniq_chain_link_seq"]


def test_a_rows_link_is_read_through_the_chains_index(firm):
    """The shape the verifier and a retention rewrite's layout lookup read a row's link by."""
    complaint = make_complaint(firm=firm, received_at=london(2026, 3, 2, 10))
    row = complaint.history.order_by("history_id").first()
    plan = _plan(
        "SELECT l.layout_id FROM common_chainlink l WHERE l.table_name = %s "
        "AND l.object_id = %s AND l.kind = 'row' AND l.row_id = %s LIMIT 1",
        [HC, str(complaint.pk), row.history_id],
    )
    reads = [n for n in _nodes(plan) if n.get("Relation Name") == "common_chainlink"]
    assert [(n["Node Type"], n.get("Index Name")) for n in reads] == [
        ("Index Scan", "uniq_chain_link_seq")
    ], plan
    assert "object_id" in reads[0]["Index Cond"]


def test_a_row_whose_link_is_gone_is_still_found_out_of_the_chain(firm):
    complaint = make_complaint(firm=firm, received_at=london(2026, 3, 2, 10))
    row = complaint.history.order_by("-history_id").first()
    (report,) = verify_chains({HC: [str(complaint.pk)]})
    assert not report.breaks
    ChainLink.objects.filter(table_name=HC, row_id=row.history_id).delete()
    (report,) = verify_chains({HC: [str(complaint.pk)]})
    assert any(
        b.row_id == row.history_id and b.problem == "the row is not in the chain"
        for b in report.breaks
    ), report.breaks
