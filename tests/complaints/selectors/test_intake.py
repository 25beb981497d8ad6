"""Reads behind the intake form: likely duplicates."""

from __future__ import annotations

from typing import Any

import pytest

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
