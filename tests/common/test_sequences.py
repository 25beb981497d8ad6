"""``Sequences.take`` answers new keys for several tables in one query, ascending, from each
table's own sequence: keys the table gives no one else afterwards (issue 18: the register
import reserves a chunk's keys before its rows are built)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.bulk import Sequences
from complaints.models import Complainant, Firm, Note
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db


def test_keys_for_several_tables_in_one_query_ascending_and_never_given_again():
    sequences = Sequences()
    with CaptureQueriesContext(connection) as ctx:
        taken = sequences.take({Complainant: 5, Note: 0, Firm: 3})
    [sql] = [q["sql"] for q in ctx.captured_queries]
    # Each table's sequence is looked up once, not once a key (it cost five times the nextval).
    assert sql.count("pg_get_serial_sequence") == 2
    assert "nextval(pg_get_serial_sequence" not in sql
    assert taken[Note] == []
    people, firms = taken[Complainant], taken[Firm]
    assert people == sorted(people) and len(set(people)) == 5
    assert len(firms) == 3
    # The table's next row (an ordinary INSERT) gets a key after those taken.
    firm = FirmFactory()
    assert firm.pk > max(firms)
    assert Complainant.objects.create(name="After", firm=firm).pk > max(people)
    again = sequences.take({Complainant: 2})[Complainant]
    assert min(again) > max(people)
