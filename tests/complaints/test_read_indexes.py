"""The complaint tables keep only the indexes their reads use (issue 18, docs/performance.md
"Stop 30: regidx"): every index costs each insert, and the register import writes 10,000
complaints with their complainants, letters, notes and history at a time.

Each read below is planned with sequential scans priced out (``enable_seqscan = off``): when an
index can serve it the planner takes one, whatever the table's size or statistics; when none can,
it takes the sequential scan or walks an index whole, without an index condition, and the test
fails. So these tests fail if an index a read
needs is dropped, and the last one fails if a dropped index comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from complaints.models import Communication, Complainant, Complaint, Note
from complaints.selectors.history import complaint_sources, history_sources
from complaints.selectors.timeline import _oldest_first
from reporting.metrics import linked_vulnerable_clients, upheld_between
from tests.factories import UserFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)
TRACKED = (Complaint, Complainant, Communication, Note)


def _plan(sql: str, params: list | tuple = ()) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def _explain(qs) -> dict:
    return _plan(*qs.query.sql_with_params())


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _unindexed(plan: dict, table: str) -> list[str]:
    """The plan's reads of ``table`` that no index condition drives: a sequential scan, or an
    index walked whole (which the planner takes, with sequential scans priced out, for an
    order or when no index has the read's column)."""
    reads = [n for n in _nodes(plan) if n.get("Relation Name") == table]
    assert reads, f"{table} is not read"
    bad = []
    for n in reads:
        kind = n["Node Type"]
        if kind in ("Index Scan", "Index Only Scan") and "Index Cond" in n:
            continue
        bitmaps = [b for b in _nodes(n) if b["Node Type"] == "Bitmap Index Scan"]
        if kind == "Bitmap Heap Scan" and all("Index Cond" in b for b in bitmaps):
            continue
        bad.append(f"{kind} {n.get('Index Name', '')}".strip())
    return bad


@pytest.fixture
def complaint(firm):
    return make_complaint(firm=firm, received_at=NOW - timedelta(days=3), actor=UserFactory())


def _sources(sources):
    return {s.model: s for s in sources if s.model in TRACKED}


def test_a_complaints_timeline_reads_each_history_table_by_index(complaint):
    """The complaint page and its audit timeline: the complaint's and complainant's history by
    record id, its letters' and notes' history by complaint id (and each row's previous
    version by record id)."""
    sources = _sources(complaint_sources())
    assert set(sources) == set(TRACKED)
    for source in sources.values():
        assert source.complaint_q is not None
        plan = _explain(_oldest_first(source.rows().filter(source.complaint_q(complaint.pk))))
        assert not _unindexed(plan, source.history_model._meta.db_table), (source.key, plan)


def test_a_users_activity_reads_each_history_table_by_index(firm, complaint):
    """The audit review's user activity: each history table by ``history_user_id`` within the
    user's firms; and the firm's chain check, the complaint's and complainant's records of the
    firm by the history's ``firm_id``."""
    for source in _sources(history_sources()).values():
        assert source.firm_q is not None
        rows = source.rows().filter(source.firm_q([firm.pk]))
        table = source.history_model._meta.db_table
        plan = _explain(rows.filter(history_user_id=complaint.created_by_id or 1))
        assert not _unindexed(plan, table), (source.key, plan)
        if source.model in (Complaint, Complainant):
            # By the history's own firm_id; the letters' and notes' go through their complaints
            # (a semi-join whose shape turns on the tables' sizes, so not asserted here).
            plan = _explain(rows.values_list("id", flat=True).distinct())
            assert not _unindexed(plan, table), (source.key, plan)


def test_the_returns_history_reads_use_an_index(firm, complaint):
    """The return's reads: upheld outcomes from the complaint's history by firm, and the
    complainant's entry in force at the period end by record id."""
    upheld = Complaint.objects.filter(upheld_between(firm.pk, NOW - timedelta(days=90), NOW))
    plan = _explain(upheld.filter(firm=firm).values("id"))
    assert not _unindexed(plan, "complaints_historicalcomplaint"), plan
    plan = _explain(linked_vulnerable_clients(firm, NOW.date()))
    assert not _unindexed(plan, "complaints_historicalcomplainant"), plan


def test_firm_scoped_and_foreign_key_reads_use_the_composite_indexes(firm, complaint):
    """The single-column indexes dropped on the firm and the complaint: the composite indexes
    leading with the same column serve the reads and the checks a delete makes (the database's
    ``FOR KEY SHARE`` probe, Django's collector)."""
    for model, column, value in (
        (Complaint, "firm_id", firm.pk),
        (Complainant, "firm_id", firm.pk),
        (Communication, "complaint_id", complaint.pk),
        (Note, "complaint_id", complaint.pk),
        (Complaint, "complainant_id", complaint.complainant_id),
        (Complaint, "likely_duplicate_of_id", complaint.pk),
    ):
        table = model._meta.db_table
        plan = _plan(
            f"SELECT 1 FROM ONLY {table} x WHERE {column} = %s FOR KEY SHARE OF x", [value]
        )
        assert not _unindexed(plan, table), (column, plan)
        plan = _explain(model.objects.filter(**{f"{column}__in": [value]}).order_by())
        assert not _unindexed(plan, table), (column, plan)
    matching = Complainant.objects.filter(firm_id=firm.pk, client_reference__in=["C-1", "C-2"])
    plan = _explain(matching.order_by("name", "pk"))
    assert not _unindexed(plan, "complaints_complainant"), plan


def _indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = %s::regclass GROUP BY i.indexrelid",
            [table],
        )
        return {tuple(row[0]) for row in cursor.fetchall()}


# What each history table is read by (above): its key, the record, who and when (the user's
# activity and its period), the firm (activity, chains, the return) or the complaint.
HISTORY_INDEXES = {
    Complaint: {("history_id",), ("id",), ("history_date",), ("history_user_id",), ("firm_id",)},
    Complainant: {
        ("history_id",),
        ("id",),
        ("history_date",),
        ("history_user_id",),
        ("firm_id",),
    },
    Communication: {
        ("history_id",),
        ("id",),
        ("history_date",),
        ("history_user_id",),
        ("complaint_id",),
    },
    Note: {("history_id",), ("id",), ("history_date",), ("history_user_id",), ("complaint_id",)},
}


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_history_tables_index_only_what_their_reads_use(model):
    """No index on a history table's copies of the record's other foreign keys (owner, creator,
    sender, author, complainant, likely duplicate) or its client reference: no read looks the
    history up by them, and a history copy has no foreign-key constraint to check."""
    table = model.history.model._meta.db_table
    assert _indexed_columns(table) == HISTORY_INDEXES[model]
    singles = {c for c in _indexed_columns(model._meta.db_table) if len(c) == 1}
    assert not singles & {("firm_id",), ("fos_six_month_deadline",)}
    if model is Complaint:
        assert ("firm_id", "status", "src_deadline") not in _indexed_columns("complaints_complaint")
    if model is Communication:
        assert ("complaint_id",) not in singles


def test_the_watchs_src_source_reads_the_src_queue_index(firm, complaint):
    """The (firm, status, SRC date) index is gone: the watch's SRC source (its filter as
    ``notifications.sources.disp.src_due_today`` builds it) has the SRC queue index's condition
    and reads that index."""
    from notifications.sources.disp import AWAITING_RESPONSE

    due = Complaint.objects.filter(
        firm_id__in=[firm.pk],
        status__in=AWAITING_RESPONSE,
        is_complaint=True,
        src_deadline=NOW.date(),
        src_deadline_at__gt=NOW,
    ).order_by()
    plan = _explain(due.values_list("pk", "firm_id", "reference", "owner_id", "src_deadline"))
    assert not _unindexed(plan, "complaints_complaint"), plan
    assert [n.get("Index Name") for n in _nodes(plan) if "Index Name" in n] == [
        "complaint_src_queue_firm_idx"
    ], plan


def test_the_register_imports_reference_read_is_driven_by_the_reference(firm, complaint):
    """A register's rows already in the register, by the firm's own reference
    (``intake.services.batches.in_register``): read through ``complaint_external_ref_idx``,
    which holds only complaints that have such a reference (the planner takes the references as
    its condition or as a filter of that index, as the numbers say), never every complaint of
    the firm."""
    from intake.services.batches import in_register

    plan = _explain(in_register(firm.pk, [f"REF-{n}" for n in range(500)]).values("id"))
    assert not _unindexed(plan, "complaints_complaint"), plan
    used = {n.get("Index Name") for n in _nodes(plan)} - {None}
    assert used == {"complaint_external_ref_idx"}, plan
