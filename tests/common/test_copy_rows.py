"""A ``COPY`` (``copy_prepare`` then ``copy_write``) writes exactly the rows ``insert_rows``
writes (issue 18: the register import's commit), with new ids taken in row order
(``Sequences``), is counted as a query, and fires the history tables' audit chain as an INSERT
does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.audit import HistoryRows
from common.bulk import Sequences, _fits, columns, copy_prepare, copy_write, insert_rows
from common.chain import verify_chains
from complaints.models import Complainant, Complaint
from tests.factories import FirmFactory, UserFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NAMES = columns(Complaint, skip=("id",))
AWKWARD = "Tab\there, new\nline, back\\slash, quote ' \" and \N{POUND SIGN}\u00e9 \\N"


def _complaint_values() -> list[dict]:
    """Two stored complaints' values (JSON deadline rules, dates, times, booleans), with
    awkward text, as ``insert_rows`` takes them."""
    firm, user = FirmFactory(), UserFactory()
    stored = [
        make_complaint(firm=firm, received_at=london(2026, 4, day, 16), actor=user)
        for day in (2, 3)
    ]
    return [
        Complaint.objects.filter(pk=c.pk).values(*NAMES).get() | {"description": AWKWARD}
        for c in stored
    ]


def _rows(values: list[dict], suffix: str) -> list[tuple]:
    """The rows under new references."""
    return [
        tuple((v | {"reference": f"COPY-{n}{suffix}"})[name] for name in NAMES)
        for n, v in enumerate(values)
    ]


def _copy(model, names, rows) -> list[int]:
    """``rows`` written by COPY under new keys taken first, as the register import writes them
    (the keys among the names: COPY has no RETURNING); the keys, in row order."""
    ids = Sequences().take({model: len(rows)})[model]
    keyed = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    copy_write(copy_prepare(model, ["id", *names], keyed))
    return ids


def _stored(pks: list[int]) -> list[dict]:
    found = {r["id"]: r for r in Complaint.objects.filter(pk__in=pks).values()}
    return [{k: v for k, v in found[pk].items() if k not in ("id", "reference")} for pk in pks]


def test_a_copy_writes_what_insert_rows_writes_under_new_ids_in_order():
    values = _complaint_values()
    inserted = insert_rows(Complaint, NAMES, _rows(values, ""), returning="id")
    copied = _copy(Complaint, NAMES, _rows(values, "-C"))
    assert len(copied) == 2 and copied[0] < copied[1] and not set(copied) & set(inserted)
    assert _stored(copied)[0]["deadline_rules"]
    assert _stored(copied) == _stored(inserted)
    assert Complaint.objects.get(pk=copied[0]).description == AWKWARD
    assert Complaint.objects.get(pk=copied[1]).reference == "COPY-1-C"


def test_a_json_value_shared_by_rows_is_written_as_each_row_alone_would_be():
    """One deadline-rules object held by several rows is made into JSON text once."""
    values = _complaint_values()
    shared = {"final_response": {"rule": AWKWARD, "label": '\u2028 "quoted"', "basis": "£"}}
    for v in values:
        v["deadline_rules"] = shared
    inserted = insert_rows(Complaint, NAMES, _rows(values, ""), returning="id")
    copied = _copy(Complaint, NAMES, _rows(values, "-C"))
    assert [r["deadline_rules"] for r in _stored(copied)] == [shared, shared]
    assert _stored(copied) == _stored(inserted)


class _NoOffset(tzinfo):
    """A zone that does not know its offset: a datetime in it is naive (``utcoffset`` None)."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


def test_json_texts_shared_by_two_tables_are_those_each_alone_makes():
    """``copy_prepare(texts=...)``: a complaint's row and its history row holding the same rules
    object get the JSON text made once, the text each table's own preparation makes."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    rules = {"final_response": {"rule": AWKWARD, "label": "\u2028", "basis": "£"}}
    history = Complaint.history.model
    names = ["deadline_rules"]
    texts: dict = {}
    row = copy_prepare(Complaint, names, [(rules,)], texts=texts).rows[0][0]
    step = copy_prepare(history, names, [(rules,)], texts=texts).rows[0][0]
    alone = copy_prepare(history, names, [(rules,)]).rows[0][0]
    assert step is row and len(texts) == 1
    assert (type(step), step.obj) == (type(alone), alone.obj) and step.dumps(step.obj) == alone.obj


@pytest.mark.parametrize("odd", [None, "text", "naive", "fixed zone"])
def test_binary_when_every_value_fits_its_column_text_otherwise_the_same_rows(odd):
    """Values of their columns' own types go by a binary COPY; a value that does not (a date
    given as text, a datetime without its offset) sends the whole COPY as text, as before. A
    fixed offset (``datetime.timezone``) is known: binary."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    values = _complaint_values()
    received = values[1]["received_at"]
    if odd == "text":
        values[1]["received_at"] = received.isoformat()
    elif odd == "naive":
        values[1]["received_at"] = received.astimezone(UTC).replace(tzinfo=None)
    elif odd == "fixed zone":
        values[1]["received_at"] = received.astimezone(timezone(timedelta(hours=5)))
    inserted = insert_rows(Complaint, NAMES, _rows(values, ""), returning="id")
    with CaptureQueriesContext(connection) as ctx:
        copied = _copy(Complaint, NAMES, _rows(values, "-C"))
    assert ("FORMAT BINARY" in ctx.captured_queries[-1]["sql"]) == (odd in (None, "fixed zone"))
    assert _stored(copied) == _stored(inserted)
    assert Complaint.objects.get(pk=copied[1]).received_at == received


def test_a_datetime_in_a_zone_without_an_offset_does_not_fit_binary():
    """``_fits`` asks each datetime its offset when a zone is not one known to give it."""
    aware = london(2026, 4, 2, 9)
    odd = aware.astimezone(UTC).replace(tzinfo=_NoOffset())
    assert _fits(["timestamptz"], [(aware,), (None,), (aware.astimezone(UTC),)])
    assert not _fits(["timestamptz"], [(aware,), (odd,)])
    assert not _fits(["timestamptz"], [(aware.replace(tzinfo=None),)])


def test_a_copy_is_a_counted_statement():
    firm = FirmFactory()
    names = columns(Complainant, skip=("id",))
    people = [Complainant(firm=firm, name=name, created_at=london(2026, 4, 2, 9)) for name in "AB"]
    rows = [tuple(getattr(p, name) for name in names) for p in people]
    with CaptureQueriesContext(connection) as ctx:
        ids = _copy(Complainant, names, rows)
    assert [Complainant.objects.get(pk=pk).name for pk in ids] == ["A", "B"]
    verbs = [q["sql"].split(None, 1)[0].upper() for q in ctx.captured_queries]
    assert verbs.count("COPY" if connection.vendor == "postgresql" else "INSERT") == 1


def test_history_rows_copied_are_chained_as_inserted_ones():
    if connection.vendor != "postgresql":
        pytest.skip("the chain is kept on PostgreSQL only")
    firm = FirmFactory()
    at = london(2026, 4, 2, 9)
    people = [Complainant.objects.create(firm=firm, name=f"P{n}") for n in range(2)]
    history = HistoryRows(Complainant, None, at)
    values = [
        {f.attname: getattr(p, f.attname) for f in Complainant._meta.concrete_fields}
        for p in people
    ]
    rows = [
        history.row(v | {"name": f"{v['name']} {step}"}, "test", "~")
        for v in values
        for step in range(3)
    ]
    copy_write(history.prepare(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, count(*), max(seq) FROM common_chainlink WHERE table_name = %s "
            "AND object_id = ANY(%s) GROUP BY object_id",
            [history.model._meta.db_table, [str(p.pk) for p in people]],
        )
        # the create (save) and the three copied steps, each object's chain in row order
        assert sorted(cursor.fetchall()) == sorted((str(p.pk), 4, 4) for p in people)
    assert all(r.breaks == [] for r in verify_chains())
