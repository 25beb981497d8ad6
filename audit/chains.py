"""One firm's audit chains (docs/audit.md "Tamper-evident chain"): which chains of its history
tables and of its sent letters are intact. Chains of records that belong to no firm (users,
system templates) are checked by ``manage.py verify_audit_chain`` only."""

from __future__ import annotations

from dataclasses import dataclass

from common.chain import Break, TableReport, verify_chains
from complaints.selectors.history import history_sources
from letters.choices import LetterStatus
from letters.models import Letter

SENT_LETTERS = "Sent letters (one chain per complaint)"


@dataclass(frozen=True)
class ChainRow:
    label: str
    report: TableReport


def _firm_scope(firm_ids: list[int]) -> dict[str, tuple[str, list[str]]]:
    scope: dict[str, tuple[str, list[str]]] = {}
    for source in history_sources():
        if source.firm_q is None:
            continue
        ids = (
            source.rows()
            .filter(source.firm_q(firm_ids))
            .values_list(source.model._meta.pk.attname, flat=True)
            .distinct()
        )
        scope[source.history_model._meta.db_table] = (source.label, [str(i) for i in ids])
    letters = (
        Letter.objects.filter(complaint__firm_id__in=firm_ids, status=LetterStatus.SENT)
        .values_list("complaint_id", flat=True)
        .distinct()
    )
    scope[Letter._meta.db_table] = (SENT_LETTERS, [str(i) for i in letters])
    return scope


def firm_chains(firm_ids: list[int]) -> tuple[list[ChainRow], list[tuple[str, Break]]]:
    """Per kind of record, the firm's chains and their state; and every break, labelled.
    Raises common.chain.ChainNotKept on a database that keeps no chain."""
    scope = _firm_scope(firm_ids)
    reports = verify_chains({table: ids for table, (_, ids) in scope.items()})
    rows = sorted(
        (ChainRow(scope[r.table][0], r) for r in reports), key=lambda row: row.label.lower()
    )
    breaks = [(row.label, b) for row in rows for b in row.report.breaks]
    return rows, breaks
