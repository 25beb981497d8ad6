"""Reads behind the intake form: likely duplicates."""

from __future__ import annotations

import re
from typing import Any

import pytest

from complaints.models import Complaint
from complaints.selectors import intake
from tests.factories import ComplainantFactory, FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def test_likely_duplicates_match_by_name_email_or_client_reference_in_the_firm(firm):
    now = london(2026, 4, 20, 9)
    person = ComplainantFactory(
        firm=firm, name="Jo Smith", email="jo@x.test", client_reference="C1"
    )
    recent = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), complainant=person)
    make_complaint(firm=firm, received_at=london(2026, 3, 1, 9), complainant=person)  # too old
    other_firm = FirmFactory()
    make_complaint(
        firm=other_firm,
        received_at=london(2026, 4, 1, 9),
        complainant=ComplainantFactory(firm=other_firm, name="Jo Smith"),
    )
    lookups: list[dict[str, Any]] = [
        {"name": "jo smith"},
        {"email": "JO@x.test"},
        {"client_reference": "C1"},
    ]
    for kwargs in lookups:
        found = intake.likely_duplicates(firm_id=firm.pk, now=now, **kwargs)
        assert found == [recent], kwargs
    assert intake.likely_duplicates(firm_id=firm.pk, now=now, name="Someone else") == []
    assert intake.likely_duplicates(firm_id=firm.pk, now=now) == []


def test_the_compiled_duplicate_check_finds_what_the_query_finds(firm):
    """likely_duplicate_rows (the API create's check, compiled once per shape of criteria)
    answers the first ten (id, likely_duplicate_of_id) likely_duplicates_query does, for every
    shape of the criteria and for values that differ between calls of one shape."""
    from datetime import timedelta

    now, window = london(2026, 4, 20, 9), timedelta(days=30)
    jo = ComplainantFactory(firm=firm, name="Jo Smith", email="jo@x.test", client_reference="C1")
    al = ComplainantFactory(firm=firm, name="Al Jones", email="al@x.test", client_reference="C2")
    for day, person, text in ((1, jo, "Late"), (2, jo, " late "), (3, al, "Late"), (4, al, "x")):
        make_complaint(
            firm=firm, received_at=london(2026, 4, day, 9), complainant=person, description=text
        )
    shapes: list[dict[str, Any]] = [
        {"name": "jo smith"},
        {"name": " AL JONES ", "description": "late"},
        {"email": "JO@x.test", "client_reference": "C2"},
        {"complainant_id": al.pk, "description": "x"},
        {"complainant_id": jo.pk, "name": "Al Jones", "email": "", "client_reference": "C9"},
        {"client_reference": "C1", "description": "LATE"},
        {"name": "Nobody"},
        {"description": "late"},
        {},
    ]
    for criteria in shapes:
        for at in (now, london(2026, 4, 2, 12)):
            query = intake.likely_duplicates_query(
                firm_id=firm.pk, now=at, window=window, **criteria
            )
            expected = (
                []
                if query is None
                else list(query.values_list("pk", "likely_duplicate_of_id")[:10])
            )
            found = intake.likely_duplicate_rows(firm_id=firm.pk, now=at, window=window, **criteria)
            assert [tuple(row) for row in found] == expected, criteria
    assert intake.likely_duplicate_rows(firm_id=firm.pk, now=now, window=window, name="jo smith")


def test_the_create_duplicate_check_is_planned_once_per_connection(firm):
    """likely_duplicate_rows is a prepared statement on PostgreSQL: the server plans it while
    it learns its cost, then runs its generic plan (planning was the check's cost, under the
    firm's reference counter); it finds what the query finds, for values of every run."""
    from datetime import timedelta

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("prepared statements are tested on PostgreSQL (set DATABASE_URL)")
    now, window = london(2026, 4, 20, 9), timedelta(days=1)
    jo = ComplainantFactory(firm=firm, name="Jo Smith")
    first = make_complaint(
        firm=firm, received_at=london(2026, 4, 20, 8), complainant=jo, description="Late"
    )
    again = make_complaint(
        firm=firm, received_at=london(2026, 4, 20, 8, 30), complainant=jo, description="Late"
    )
    Complaint.objects.filter(pk=again.pk).update(likely_duplicate_of=first)
    for text, found in (("LATE", [(again.pk, first.pk), (first.pk, None)]), ("Lost", [])) * 4:
        rows = intake.likely_duplicate_rows(
            firm_id=firm.pk, now=now, window=window, complainant_id=jo.pk, description=text
        )
        assert [tuple(row) for row in rows] == found
    compiled = intake._compiled(connection.vendor, ("complainant_id", "description"), window)
    assert compiled is not None
    numbers = iter(range(1, len(compiled[1]) + 1))
    sent = re.sub("%s", lambda _: f"${next(numbers)}", compiled[0])  # as psycopg sends it
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = %s",
            [sent],
        )
        [(generic_plans, custom_plans)] = cursor.fetchall()
    assert (generic_plans, custom_plans) == (3, 5)
