"""common.compiled: a queryset compiled once and run with new values gives what the queryset
gives (the same SQL and parameters, the same rows, related objects and annotations)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from common.compiled import ANY_ID as SENTINEL
from common.compiled import Compiled
from complaints.models import Membership
from tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _memberships(firm_id):
    return (
        Membership.objects.select_related("firm", "user")
        .filter(firm_id=firm_id)
        .annotate(firm_frn=F("firm__frn"))
        .order_by("id")
    )


def _run_beside(queryset, run):
    """``run()`` (a compiled read) beside ``queryset`` evaluated: both sent the same SQL; the
    compiled read's objects and the queryset's, in that order."""
    with CaptureQueriesContext(connection) as direct:
        expected = list(queryset)
    with CaptureQueriesContext(connection) as compiled:
        got = run()
    assert [q["sql"] for q in compiled.captured_queries] == [
        q["sql"] for q in direct.captured_queries
    ]
    return got, expected


def test_a_compiled_query_runs_the_querysets_sql_and_builds_the_same_objects():
    firms = [FirmFactory(), FirmFactory()]
    for firm in firms:
        MembershipFactory.create_batch(2, firm=firm)
    compiled = Compiled(_memberships(SENTINEL), SENTINEL)
    for firm in firms:
        got, expected = _run_beside(_memberships(firm.pk), lambda f=firm: compiled.objects(f.pk))
        assert [(m.pk, m.firm.name, m.user.username, m.firm_frn) for m in got] == [
            (m.pk, m.firm.name, m.user.username, m.firm_frn) for m in expected
        ]
        assert all(m._state.adding is False and m._state.db == "default" for m in got)
        with CaptureQueriesContext(connection) as related:
            [(m.firm.frn, m.user.email) for m in got]
        assert not related.captured_queries


def test_rows_are_the_selected_columns_and_an_unbound_sentinel_is_refused():
    membership = MembershipFactory()
    compiled = Compiled(
        Membership.objects.filter(firm_id=SENTINEL).values_list("id", "role"), SENTINEL
    )
    assert compiled.rows(membership.firm_id) == [(membership.pk, membership.role)]
    assert compiled.rows(membership.firm_id + 1000) == []
    with pytest.raises(ValueError, match="Not a parameter"):
        Compiled(Membership.objects.filter(firm_id=1), SENTINEL).rows(1)


def test_count_counts_the_compiled_rows_as_a_sliced_querysets_count():
    firm = FirmFactory()
    MembershipFactory.create_batch(3, firm=firm)
    compiled = Compiled(Membership.objects.filter(firm_id=SENTINEL).values("pk")[:2], SENTINEL)
    assert compiled.count(firm.pk) == Membership.objects.filter(firm=firm)[:2].count() == 2
    assert compiled.count(firm.pk + 1000) == 0


def test_a_read_of_a_list_of_ids_is_compiled_once_per_number_of_ids():
    from common.compiled import CompiledByIds

    firms = [FirmFactory() for _ in range(3)]
    for firm in firms:
        MembershipFactory(firm=firm)
    built = []

    def build(key, firm_ids):
        built.append((key, len(firm_ids)))
        return Membership.objects.filter(firm_id__in=firm_ids).order_by("id")

    compiled = CompiledByIds(build)
    for ids in ([firms[0].pk], [firms[1].pk], [firms[0].pk, firms[2].pk]):
        got, expected = _run_beside(build(None, ids), lambda i=ids: compiled.objects("day", i))
        assert got == expected and got
    assert [b for b in built if b[0] == "day"] == [("day", 1), ("day", 2)]
    with CaptureQueriesContext(connection) as none:
        assert compiled.objects("day", []) == []
    assert not none.captured_queries


def _prepared_on_server(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{marker}%"]
        )
        return cursor.fetchone()[0]


def _marked(firm_id):
    return _memberships(firm_id).annotate(prepared_marker=F("firm__name"))


def test_a_prepared_read_is_planned_once_per_connection_and_logged_with_its_values():
    """``prepared=True``: the query log shows the queryset's SQL with its values and the rows
    are the queryset's; on PostgreSQL the server holds one prepared statement, run again with
    each id."""
    firms = [FirmFactory(), FirmFactory()]
    for firm in firms:
        MembershipFactory.create_batch(2, firm=firm)
    compiled = Compiled(_marked(SENTINEL), SENTINEL, prepared=True)
    for firm in firms * 2:
        got, expected = _run_beside(_marked(firm.pk), lambda f=firm: compiled.objects(f.pk))
        assert [(m.pk, m.firm.name, m.user.username, m.prepared_marker) for m in got] == [
            (m.pk, m.firm.name, m.user.username, m.prepared_marker) for m in expected
        ]
    if connection.vendor == "postgresql":
        assert _prepared_on_server("prepared_marker") == 1


def test_with_prepared_statements_turned_off_a_prepared_read_runs_unprepared():
    """``DB_PREPARED_READS=false`` leaves Django's ``prepare_threshold`` unset (a pooler that
    cannot keep prepared statements): the read runs as any other, with the same objects."""
    membership = MembershipFactory()
    queryset = _memberships(SENTINEL).annotate(unprepared_marker=F("firm__frn"))
    compiled = Compiled(queryset, SENTINEL, prepared=True)
    connection.ensure_connection()
    if connection.vendor != "postgresql":  # no server-side statements to turn off
        assert [m.pk for m in compiled.objects(membership.firm_id)] == [membership.pk]
        return
    raw = connection.connection
    saved, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        got = compiled.objects(membership.firm_id)
    finally:
        raw.prepare_threshold = saved
    assert [(m.pk, m.unprepared_marker) for m in got] == [(membership.pk, membership.firm.frn)]
    assert _prepared_on_server("unprepared_marker") == 0


def test_related_builders_are_kept_unless_they_track_each_reads_peers():
    """The ``select_related`` populators are built once per plan; under FETCH_PEERS each
    holds the objects of the read that built it, so each read builds its own."""
    from django.db.models import FETCH_PEERS

    firms = [FirmFactory(), FirmFactory()]
    for firm in firms:
        MembershipFactory.create_batch(2, firm=firm)
    kept = Compiled(_memberships(SENTINEL), SENTINEL)
    peers = Compiled(_memberships(SENTINEL).fetch_mode(FETCH_PEERS), SENTINEL)
    reads = [peers.objects(firm.pk) for firm in firms]
    assert [m.firm.name for m in kept.objects(firms[1].pk)] == [firms[1].name] * 2
    assert kept._plans["default"].builders is not None
    assert peers._plans["default"].builders is None
    for read in reads:
        assert {ref().pk for ref in read[0].user._state.peers} == {m.user_id for m in read}


def test_a_prepared_statement_is_numbered_once_as_postgresql_places_its_values():
    """``%s`` become ``$1, $2, ...`` in order and ``%%`` a ``%``; any other placeholder is
    refused rather than sent as it stands."""
    from common.prepared import _numbered

    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d IN (%s, %s)"
    assert _numbered(sql) == "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d IN ($2, $3)"
    with pytest.raises(ValueError, match="%b"):
        _numbered("SELECT %b")
