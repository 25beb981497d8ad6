"""The queue's selective search asks a trigram index for a term's rarest word when another of
its words is common in the column, and finds exactly what ``icontains`` over the reference,
description and complainant name finds, for every kind of term."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from complaints.models import Complaint
from complaints.selectors import queue_search
from complaints.selectors.queue_search import rare_part, search_ids
from tests.factories import ComplainantFactory, london, make_complaint

NAMES = [
    *[f"Complainant {n}" for n in (1, 12, 123, 1234, 12345, 51234)],
    "Other 123",
    "Zoë Ångström",
    "ÉLODIE Durand",
    "O'Brien-Smith",
    "Mr A B Smith",
    "jane.doe@example.test",
    "10% Club_Ltd",
]
DESCRIPTIONS = [
    "Complainant 1234 says the withdrawal is late.",
    "Ticket 123: staking rewards unpaid.",
    "Write to jane.doe@example.test about the delay.",
    "Fees of 10% charged twice; see café_receipt.",
]
TERMS = [
    "Complainant 123",
    "complainant 1234",
    "COMPLAINANT",
    "nant 12",
    "Complainant 1234 says",
    "123",
    "1",
    "a",
    "zo",
    "zoë ångström",
    "ÅNGSTRÖM",
    "élodie durand",
    "o'brien",
    "Brien-Sm",
    "Mr A B",
    "jane.doe@example.test",
    "@example",
    "10%",
    "b_L",
    "_",
    "CAFÉ_RECEIPT",
    "staking rewards",
    "NDX-2026",
    "2026-0004",
    "nobody here",
]


def test_a_common_word_gives_way_to_the_rarest_word_of_the_term():
    sample = ["COMPLAINANT 1", "COMPLAINANT 2", "JANE SMITH", "OTHER 123"]
    assert rare_part("Complainant 1234", sample) == "1234"  # a slice of the term itself
    assert rare_part("complainant Smithers", sample) == "Smithers"
    assert rare_part("Jane Smithers", ["JANE SMITH", *["X"] * 20]) == "Jane Smithers"  # rare
    assert rare_part("Complainant", sample) == "Complainant"  # one word: nothing to choose
    assert rare_part("Complainant 12", sample) == "Complainant 12"  # "12": no trigram
    assert rare_part("Complainant 1234", []) == "Complainant 1234"  # no sample


@pytest.fixture
def varied(firm):
    received = london(2026, 5, 28, 10)
    for i, name in enumerate(NAMES):
        make_complaint(
            firm=firm,
            received_at=received,
            reference=f"NDX-2026-{i:05d}",
            complainant=ComplainantFactory(firm=firm, name=name),
            description=DESCRIPTIONS[i % len(DESCRIPTIONS)],
        )
    return firm


def _expected(firm, term: str) -> set[int]:
    """What the queue's filter (the broad path) finds: icontains on the three columns."""
    matches = (
        Q(reference__icontains=term)
        | Q(description__icontains=term)
        | Q(complainant__name__icontains=term)
    )
    return set(Complaint.objects.filter(firm=firm).filter(matches).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("samples", ["analysed", "every word common", "none"])
def test_search_finds_what_icontains_finds_for_every_kind_of_term(varied, monkeypatch, samples):
    if samples == "analysed":
        if connection.vendor != "postgresql":
            pytest.skip("pg_stats is PostgreSQL's")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complainant")
            cursor.execute("ANALYZE complaints_complaint")
        monkeypatch.setattr(queue_search, "_samples", {})
        assert queue_search.column_samples()["name"]  # "COMPLAINANT" is common: rare parts
    elif samples == "every word common":
        everything = [" ".join(t.upper() for t in TERMS)]
        monkeypatch.setattr(
            queue_search,
            "column_samples",
            lambda: dict.fromkeys(queue_search.TRIGRAM_INDEXES, everything),
        )
    else:
        monkeypatch.setattr(queue_search, "column_samples", lambda: {})
    found = {term: set(search_ids(term, varied.pk)) for term in TERMS}
    assert found == {term: _expected(varied, term) for term in TERMS}
    assert found["Complainant 123"] and found["Complainant 123"] != found["123"]
