"""The benchmark's complaints, built by COPY (issue 18).

``build(count, now)`` gives the firm ``FIRM_FRN`` ten handlers in one team, ``count // 4``
complainants and ``count`` complaints, each with its creation history row (what
``bulk_create_with_history`` wrote before), in one transaction:

- every row is written by PostgreSQL ``COPY`` (psycopg ``cursor.copy``), history included;
- a benchmark shortcut, not a product path: the history rows are not linked into the audit
  chain (its insert trigger is disabled for the build's COPY: hashing each row's canonical text
  costs about 1.5 ms a row on this machine, 25 minutes for a million; nothing the benchmark times
  reads the chain, and ``verify_audit_chain`` would report these rows as unchained);
- the deadlines are the DISP clock's (``apply_deadlines`` with the firm's calendar built once),
  computed once per distinct input (receipt day and hour, regime, state, response dates) and
  reused for every complaint that shares it;
- the tables' secondary indexes are dropped before and created after (a bulk build of each is
  much cheaper than a million insertions into two dozen indexes, the trigram ones above all).

Skipped when the firm already holds ``count`` complaints. The shape is the queue's: complaints
received over the last year, open ones owned by the handlers (one in seven unowned), a tenth
PSD/EMD. For the deadline watch, about 1% are near or past a response date: recent complaints
reaching their 8-week date, and a few old ones left unanswered; the older open complaints are
mostly waiting on the final response a holding response promised for later.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FIRM_FRN = "999001"
REASON = "benchmark.load"
HOURS = (9, 14)  # receipt times: a few distinct inputs to the DISP clock per day
SENT_AFTER = (2, 6, 12, 25, 45)  # days from receipt to the response, for answered complaints


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (values) on Django's connection."""
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_text(table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """The same with rows already in COPY's text format (one line each): no per-value work."""
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) == 5000:
                copy.write("".join(chunk))
                chunk = []
        copy.write("".join(chunk))


def cell(value) -> str:
    """``value`` in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):  # and date-times
        return value.isoformat()
    if hasattr(value, "obj"):  # psycopg's Jsonb, as JSONField.get_db_prep_save gives it
        value = json.dumps(value.obj)
    elif not isinstance(value, str):
        return str(value)
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        value = value.replace(char, escaped)
    return value


def _firm_and_handlers():
    from django.contrib.auth import get_user_model

    from complaints.choices import Role
    from complaints.models import Firm, Membership

    firm, _ = Firm.objects.get_or_create(
        frn=FIRM_FRN, defaults={"name": "Bench Exchange Ltd", "reference_prefix": "BEN"}
    )
    User = get_user_model()
    handlers = []
    for i in range(10):
        user, created = User.objects.get_or_create(
            username=f"bench{i}", defaults={"first_name": f"Handler{i}", "last_name": "Bench"}
        )
        if created:
            user.set_password("bench-password")
            user.save()
        Membership.objects.get_or_create(
            user=user, firm=firm, defaults={"role": Role.HANDLER, "team": "Complaints"}
        )
        handlers.append(user)
    return firm, handlers


class Rows:
    """A model's rows as COPY tuples: the values of a saved-looking instance, then its history
    row (the same values with the history columns)."""

    def __init__(self, model, now: datetime) -> None:
        from django.db import connection

        self.model, self.connection = model, connection
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.history_table = model.history.model._meta.db_table
        self.history_columns = [
            *self.columns,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        self.history_tail = "\t" + "\t".join(cell(v) for v in (now, REASON, "+", None)) + "\n"

    def values(self, instance) -> list[str]:
        """The instance's row, each value in COPY's text format."""
        return [
            cell(f.get_db_prep_save(getattr(instance, f.attname), self.connection))
            for f in self.fields
        ]

    def position(self, column: str) -> int:
        return self.columns.index(column)

    def write(self, rows: list[list[str]]) -> None:
        lines = ["\t".join(r) for r in rows]
        copy_text(self.model._meta.db_table, self.columns, (line + "\n" for line in lines))
        copy_text(
            self.history_table, self.history_columns, (ln + self.history_tail for ln in lines)
        )


def _next_ids(table: str, n: int) -> range:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        base = cursor.fetchone()[0]
    return range(base + 1, base + 1 + n)


def _sync_sequence(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ANY(%s::regclass[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [tables],
        )
        return cursor.fetchall()


def _complainants(firm, wanted: int, now: datetime) -> list[int]:
    from complaints.models import Complainant

    have = list(Complainant.objects.filter(firm=firm).order_by("pk").values_list("pk", flat=True))
    missing = wanted - len(have)
    if missing <= 0:
        return have
    rows = Rows(Complainant, now)
    batch = []
    for pk, i in zip(
        _next_ids(Complainant._meta.db_table, missing), range(len(have), wanted), strict=True
    ):
        person = Complainant(
            pk=pk,
            firm=firm,
            name=f"Complainant {i}",
            email=f"c{i}@example.test",
            client_reference=f"C{i:07d}",
            vulnerable_health=i % 20 == 0,
            vulnerable_capability=i % 33 == 0,
            created_at=now,
        )
        batch.append(rows.values(person))
    rows.write(batch)
    _sync_sequence(Complainant._meta.db_table)
    return have + [int(r[rows.position("id")]) for r in batch]


class Shapes:
    """The complaint row for each distinct input to the DISP clock, computed once."""

    def __init__(self, firm, now: datetime) -> None:
        from complaints.deadlines import calendar_for_firm
        from complaints.models import Complaint

        self.firm, self.now = firm, now
        self.today = now.astimezone(LONDON).date()
        self.calendar = calendar_for_firm(firm)  # built once: deadlines never query per row
        self.rows = Rows(Complaint, now)
        self.cache: dict[tuple, list] = {}
        self.computed = 0

    def row(self, days_ago: int, hour: int, regime: str, status: str, sent_after: int) -> list:
        key = (days_ago, hour, regime, status, sent_after)
        if key not in self.cache:
            self.cache[key] = self._compute(*key)
            self.computed += 1
        return self.cache[key]

    def _compute(self, days_ago: int, hour: int, regime: str, status: str, sent_after: int) -> list:
        from complaints.choices import Channel, Status
        from complaints.deadlines import apply_deadlines
        from complaints.models import Complaint

        day = self.today - timedelta(days=days_ago)
        received = datetime.combine(day, clock_time(hour), tzinfo=LONDON)
        if received > self.now:
            received -= timedelta(days=1)
        complaint = Complaint(
            firm=self.firm,
            received_at=received,
            channel=Channel.EMAIL,
            alleged_financial_loss=True,
            regime=regime,
            status=status,
            created_at=self.now,
            updated_at=self.now,
        )
        if status != Status.RECEIVED:
            complaint.acknowledged_at = received + timedelta(days=1)
        if status == Status.HOLDING_RESPONSE_SENT:
            complaint.holding_response_sent_at = received + timedelta(days=55)
            complaint.expected_final_response_on = self.today + timedelta(days=14 + days_ago % 60)
        elif sent_after:
            sent = received + timedelta(days=sent_after)
            complaint.outcome_at = sent
            if status == Status.RESOLVED_SUMMARY:
                complaint.src_sent_at = sent
            else:
                complaint.final_response_sent_at = sent
            if status == Status.CLOSED:
                complaint.closed_at = sent + timedelta(days=1)
            complaint.six_month_wording_included = True
        apply_deadlines(complaint, now=self.now, calendar=self.calendar)
        return self.rows.values(complaint)


def _state(rng: random.Random, days_ago: int, psd: bool) -> tuple[str, int]:
    """(status, days from receipt to the response, 0 while unanswered) for a complaint received
    ``days_ago``: about 1% of all complaints end up near or past a response date."""
    from complaints.choices import Status

    done = (Status.CLOSED, Status.FINAL_RESPONSE_SENT, Status.RESOLVED_SUMMARY)
    recent = days_ago < (14 if psd else 56)
    if days_ago <= 2:
        return Status.RECEIVED, 0
    if recent and rng.random() < 0.6:
        return rng.choice((Status.ACKNOWLEDGED, Status.INVESTIGATING)), 0
    if not recent and rng.random() < 0.003:  # left unanswered: a missed deadline
        return Status.INVESTIGATING, 0
    if not recent and not psd and rng.random() < 0.1:
        return Status.HOLDING_RESPONSE_SENT, 0
    return rng.choice(done), rng.choice([d for d in SENT_AFTER if d < days_ago])


def _complaints(firm, handlers, people: list[int], first: int, count: int, now: datetime) -> int:
    """COPY complaints ``first`` .. ``count - 1``; returns the distinct DISP clock inputs."""
    from complaints.choices import Activity, Outcome, Regime, Status
    from complaints.models import Complaint

    shapes = Shapes(firm, now)
    rows = shapes.rows
    at = {c: rows.position(c) for c in ("id", "reference", "complainant_id", "description")}
    at |= {
        c: rows.position(c) for c in ("activity", "owner_id", "outcome", "complainant_vulnerable")
    }
    activities = Activity.values
    decisions = Outcome.decisions()
    open_states = set(Status.open_states())
    rng = random.Random(2026 + first)
    ids = _next_ids(Complaint._meta.db_table, count - first)
    batch: list[list] = []
    started = time.perf_counter()
    for pk, i in zip(ids, range(first, count), strict=True):
        days_ago = rng.randrange(0, 365)
        psd = i % 10 == 0
        status, sent_after = _state(rng, days_ago, psd)
        regime = Regime.PSD_EMD if psd else Regime.STANDARD
        row = list(shapes.row(days_ago, HOURS[i % 2], regime, status, sent_after))
        person = i % len(people)
        row[at["id"]] = str(pk)
        row[at["reference"]] = f"BEN-{now.year - (days_ago > 300)}-{i:07d}"
        row[at["complainant_id"]] = str(people[person])
        row[at["description"]] = f"Benchmark complaint {i}: withdrawal delayed by {i % 17} days."
        row[at["activity"]] = activities[i % len(activities)]
        row[at["owner_id"]] = str(handlers[i % len(handlers)].pk) if i % 7 else "\\N"
        row[at["complainant_vulnerable"]] = "t" if person % 20 == 0 or person % 33 == 0 else "f"
        if status not in open_states:
            row[at["outcome"]] = rng.choice(decisions)
        batch.append(row)
        if len(batch) == 50_000:
            rows.write(batch)
            batch = []
            print(
                f"  {i + 1 - first:,} complaints ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    rows.write(batch)
    _sync_sequence(Complaint._meta.db_table)
    return shapes.computed


def build(count: int, now: datetime) -> None:
    """The firm, its handlers and ``count`` complaints (skipped when it holds them already)."""
    from django.db import connection, transaction

    from common.chain_sql import INSERT_TRIGGER
    from complaints.models import Complainant, Complaint

    firm, handlers = _firm_and_handlers()
    existing = Complaint.objects.filter(firm=firm).count()
    if existing >= count:
        print(f"{existing:,} complaints already loaded")
        return
    started = time.perf_counter()
    tables = [
        m._meta.db_table for model in (Complaint, Complainant) for m in (model, model.history.model)
    ]
    history = tables[1::2]
    with transaction.atomic():
        indexes = _secondary_indexes(tables)
        with connection.cursor() as cursor:
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for table in history:  # see the module's docstring: no audit chain links
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {INSERT_TRIGGER}")
        people = _complainants(firm, max(1, count // 4), now)
        shapes = _complaints(firm, handlers, people, existing, count, now)
        copied = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks
            for _, definition in indexes:
                cursor.execute(definition)
            for table in history:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {INSERT_TRIGGER}")
    print(
        f"{count - existing:,} complaints with history by COPY in {copied - started:.0f} s "
        f"({shapes:,} distinct DISP clock inputs), {len(indexes)} indexes rebuilt in "
        f"{time.perf_counter() - copied:.0f} s",
        flush=True,
    )
    # What autovacuum would do soon after a bulk load: statistics, and the visibility map
    # that lets the queue's count use an index-only scan.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
