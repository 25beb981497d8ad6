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
