"""What a POST /api/complaints/ costs (issue 18): the same queries for a firm's 1st and 50th
complaint, the firm's reference counter locked only for the writes that carry the reference,
and references gap-free and unique per firm and year when two clients create at once."""

import re
import threading
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.deadlines import calendar_now
from complaints.models import BankHoliday, Complainant, Complaint
from complaints.serializers import ComplaintCreateSerializer
from intake.models import IdempotencyKey
from tests.api.conftest import client_for
from tests.api.test_idempotency_and_concurrency import CREATE, URL
from tests.factories import UserFactory


def _create(api, n: int, key: bool = True):
    body = {**CREATE, "description": f"Complaint {n}", "complainant": {"name": f"Person {n}"}}
    headers = {"HTTP_IDEMPOTENCY_KEY": f"key-{n}"} if key else {}
    response = api.post(URL, body, format="json", **headers)
    assert response.status_code == 201, response.json()
    return response


def _shape(sql: str) -> str:
    """A statement without its values and savepoint names: what it does, not to which row."""
    sql = re.sub(r"'[^']*'|\$\d+|\b\d+\b", "?", sql)
    return re.sub(r'"s\d+_x\d+"', "?", sql)


def _statements(api, n: int) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        _create(api, n)
    return [_shape(q["sql"]) for q in ctx.captured_queries]


@pytest.mark.django_db
def test_the_first_and_the_fiftieth_create_of_a_firm_issue_the_same_queries(api, firm):
    api.get(URL)  # the token's first use stamps it (once in a while, whatever the request)
    calendar_now(firm.nation)  # the calendar is read once per process and bank holidays' version
    first = _statements(api, 1)
    for n in range(2, 50):
        _create(api, n, key=n % 2 == 0)
    fiftieth = _statements(api, 50)
    assert fiftieth == first
    assert len(first) <= 12, "\n".join(first)
    # The request's transaction is a savepoint inside the test's; the create takes none of its
    # own (complaint_register(savepoint=False)).
    assert sum(sql.startswith("SAVEPOINT") for sql in first) == 1
    # The body is rendered from the objects in hand: the row is not read back, nor its parts.
    assert not any("forwardedpart" in sql for sql in first)
    # The calendar is kept per bank holidays' version: the version is read, not the days.
    assert not any("complaints_bankholiday" in sql for sql in first)
    assert sum("complaints_historicalbankholiday" in sql for sql in first) == 1


@pytest.mark.django_db
def test_a_create_counts_business_days_as_the_bank_holidays_stand_now(api):
    """Received Thu 2 Apr 2026 16:00 in England (Good Friday and Easter Monday holidays): SRC
    due Thu 9 Apr, Fri 10 Apr once a day proclaimed on Tue 7 Apr, for the next create at once
    (the calendar kept for the old version is not used: complaints.deadlines.calendar_now)."""
    before = api.post(URL, {**CREATE, "description": "First"}, format="json").json()
    BankHoliday.objects.create(nation="england-and-wales", date=date(2026, 4, 7), name="Extra")
    after = api.post(URL, {**CREATE, "description": "Second"}, format="json").json()
    assert Complaint.objects.get(pk=before["id"]).src_deadline == date(2026, 4, 9)
    assert Complaint.objects.get(pk=after["id"]).src_deadline == date(2026, 4, 10)


@pytest.mark.django_db
def test_the_reference_counter_is_taken_last_and_held_only_for_the_writes(api):
    """Creates of one firm queue on its counter row until COMMIT: after the counter only the
    likely-duplicate check (which must see a create that committed while this one waited) and
    the writes remain, then COMMIT (the release of the test's savepoint here): nothing else is
    read and no savepoint of the create's own is released under the lock."""
    statements = _statements(api, 1)
    at = next(i for i, sql in enumerate(statements) if "complaints_referencecounter" in sql)
    assert statements[-1] == "RELEASE SAVEPOINT ?"
    after = [sql[:60] for sql in statements[at + 1 : -1]]
    assert after == [
        'SELECT "complaints_complaint"."id" AS "pk", "complaints_comp',
        'WITH "created" AS (INSERT INTO "complaints_complaint" ("comp',
        'INSERT INTO "common_outboxmessage" ("kind", "payload", "dedu',
        'UPDATE "intake_idempotencykey" SET "firm_id" = ?, "complaint',
    ]
    # The complaint's row and its history row in one statement (common.audit.insert_audited).
    assert 'INSERT INTO "complaints_historicalcomplaint"' in statements[at + 2]
    assert statements[at].startswith('INSERT INTO "complaints_referencecounter"')
    assert "ON CONFLICT" in statements[at]
    # Everything else (the complainant, the idempotency key) was written before it.
    before = " ".join(statements[:at])
    assert "complaints_complainant" in before and "intake_idempotencykey" in before


@pytest.mark.django_db
def test_a_create_refused_after_its_complainant_was_written_leaves_nothing(api, firm):
    """The create runs without a savepoint of its own: a refusal found after the new
    complainant was written (an owner who is not a member of the firm) rolls the whole request
    back, the complainant and the Idempotency-Key with it, and the key can be used again."""
    outsider = UserFactory()
    body = {**CREATE, "owner_id": outsider.pk}
    refused = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-owner")
    assert refused.status_code == 400
    assert refused.json()["code"] == "owner_not_member"
    assert not Complainant.objects.exists()
    assert not IdempotencyKey.objects.exists()
    again = api.post(URL, CREATE, format="json", HTTP_IDEMPOTENCY_KEY="k-owner")
    assert again.status_code == 201
    assert Complainant.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clients_creating_at_once_get_gap_free_unique_references(firm, handler):
    """Two real PostgreSQL connections, 20 creates each, at once: both finish, and the firm's
    references for the year are exactly 1..40 (gap-free, none twice)."""
    if connection.vendor != "postgresql":
        pytest.fail("concurrency is tested on PostgreSQL (set DATABASE_URL)")
    failures: list[object] = []

    def run(worker: int) -> None:
        api = client_for(handler)
        try:
            for n in range(20):
                _create(api, worker * 100 + n, key=n % 2 == 0)
        except Exception as exc:  # surfaced by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a create never finished"
    assert failures == []
    references = sorted(Complaint.objects.filter(firm=firm).values_list("reference", flat=True))
    prefix = f"{firm.reference_prefix}-2026-"
    assert references == [f"{prefix}{n:05d}" for n in range(1, 41)]


@pytest.mark.django_db
def test_the_create_answers_the_body_a_read_of_the_complaint_gives(api):
    """The create renders the complaint it has just written from the objects in hand; the
    body is the one GET /api/complaints/{id}/ gives at the same moment."""
    created = _create(api, 1).json()
    read = api.get(f"{URL}{created['id']}/").json()
    assert created == read
    assert created["next_deadline_kind"] == "src"
    assert created["likely_duplicate_of"] is None
    again = api.post(URL, CREATE, format="json").json()
    assert again == api.get(f"{URL}{again['id']}/").json()


def test_the_create_serializer_validates_with_its_fields_bound_once():
    """DRF copied every declared field (with its choices) per request; the create's serializer
    binds them once per class (common.api.FieldsBoundOnce) and validates as before."""
    refused = ComplaintCreateSerializer(data={**CREATE, "channel": "fax", "complainant": {}})
    accepted = ComplaintCreateSerializer(data=CREATE)
    assert refused.fields is accepted.fields
    assert not refused.is_valid()
    assert set(refused.errors) == {"channel", "complainant"}
    assert refused.errors["complainant"] == {"name": ["This field is required."]}
    assert accepted.is_valid(), accepted.errors
    assert accepted.validated_data["complainant"]["name"] == "Jo Bloggs"


@pytest.mark.django_db
def test_the_counter_and_the_calendars_version_are_planned_once_per_connection(api, firm):
    """Both are prepared statements on PostgreSQL (common.compiled.cursor): the server parses
    and plans them on their first run on the connection only; the references are unchanged."""
    if connection.vendor != "postgresql":
        pytest.fail("prepared statements are tested on PostgreSQL (set DATABASE_URL)")
    first, second = (_create(api, n).json()["reference"] for n in (1, 2))
    assert int(second[-5:]) == int(first[-5:]) + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s "
            "OR statement LIKE %s",
            ['INSERT INTO "complaints_referencecounter"%', '%"complaints_historicalbankholiday"%'],
        )
        prepared = [row[0] for row in cursor.fetchall()]
    assert len(prepared) == 2, prepared
    assert all("$1" in sql for sql in prepared if "referencecounter" in sql)
