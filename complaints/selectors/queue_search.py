"""The queue's selective search: the ids of a firm's complaints whose reference, description or
complainant name contains a term (``icontains``), each column read through its trigram index.

A trigram index reads the posting list of every trigram of the term, so a term with a word in
most of a column's values ("Complainant 1234" where every name is "Complainant N") reads a
list as long as the table for each of that word's trigrams, whatever it finds. When a word of
the term is that common in the column, the index is asked for the term's rarest word only and
the whole term is tested on the rows it returns: the same rows (a value containing the term
contains each of its words), found through short lists. How common a word is comes from the
sample PostgreSQL's ANALYZE keeps of each indexed expression (``pg_stats``), read once per
process and hour; without one (SQLite, a table never analysed) the whole term is asked for.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from ..models import Complainant, Complaint

# The trigram index of each searched column (migration 0007), on UPPER(column).
TRIGRAM_INDEXES = {
    "reference": "complaint_reference_trgm",
    "description": "complaint_description_trgm",
    "name": "complainant_name_trgm",
}
# A word in at least this share of a column's sample is common: the index is asked for the
# term's rarest word instead.
COMMON_SHARE = 0.1
SAMPLE_SECONDS = 3600
_WORD = re.compile(r"\w{3,}")  # shorter words have no trigram of their own

_samples: dict[str, tuple[float, dict[str, list[str]]]] = {}


def column_samples(using: str = "default") -> dict[str, list[str]]:
    """Each searched column's ANALYZE sample (upper-cased values), by column; read once per
    process and hour, empty off PostgreSQL."""
    now = time.monotonic()
    cached = _samples.get(using)
    if cached is not None and now - cached[0] < SAMPLE_SECONDS:
        return cached[1]
    samples: dict[str, list[str]] = {}
    connection = connections[using]
    if connection.vendor == "postgresql":
        by_index = {index: column for column, index in TRIGRAM_INDEXES.items()}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, most_common_vals::text::text[], histogram_bounds::text::text[] "
                "FROM pg_stats WHERE schemaname = current_schema() AND tablename = ANY(%s)",
                [list(by_index)],
            )
            for index, common, bounds in cursor.fetchall():
                samples[by_index[index]] = [*(common or []), *(bounds or [])]
    _samples[using] = (now, samples)
    return samples


def rare_part(term: str, sample: list[str]) -> str:
    """What to ask ``column``'s trigram index for: ``term``, or its rarest word when one of its
    words is in at least COMMON_SHARE of ``sample`` (a slice of ``term`` itself, so a value
    containing ``term`` contains it)."""
    words = [m.group() for m in _WORD.finditer(term)]
    if len(words) < 2 or not sample:
        return term
    seen = {w: sum(w.upper() in value for value in sample) for w in words}
    if max(seen.values()) < COMMON_SHARE * len(sample):
        return term
    return min(words, key=lambda w: (seen[w], -len(w)))


def containing(qs: QuerySet[Any], column: str, term: str, sample: list[str]) -> QuerySet[Any]:
    """``qs`` filtered to ``column__icontains=term``, through the index by ``rare_part``."""
    part = rare_part(term, sample)
    qs = qs.filter(**{f"{column}__icontains": part})
    if part == term:
        return qs
    # The whole term tested on the rows found, by an expression no index serves (the planner
    # would otherwise give the index every trigram of the term again): the same LIKE.
    whole = Concat(column, Value(""), output_field=TextField())
    found: QuerySet[Any] = qs.alias(search_whole=whole).filter(search_whole__icontains=term)
    return found


def search_ids(q: str, firm_id: int, within: Q | None = None) -> QuerySet[Complaint, Any]:
    """Ids (possibly repeated) of the firm's complaints (``within``) matching ``q`` in the
    reference, description or complainant name: one branch per column, each served by its
    trigram index on PostgreSQL (an OR across the join is not)."""
    samples = column_samples()
    qs = Complaint.objects.filter(firm_id=firm_id).filter(within or Q()).order_by()
    names = containing(
        Complainant.objects.filter(firm_id=firm_id), "name", q, samples.get("name", [])
    ).values("pk")
    return (
        containing(qs, "reference", q, samples.get("reference", []))
        .values_list("pk", flat=True)
        .union(
            containing(qs, "description", q, samples.get("description", [])).values_list(
                "pk", flat=True
            ),
            qs.filter(complainant_id__in=names).values_list("pk", flat=True),
            all=True,  # so a LIMIT stops the scans early; a repeated id does no harm
        )
        .order_by()
    )
