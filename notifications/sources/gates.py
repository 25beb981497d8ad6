"""What a single complaint's check asks before it runs a deadline source (issue 18).

An announced change (``receivers``) re-checks one complaint; most sources cannot report it
(a closed complaint has no DISP deadline, a new one no redress, FOS case, letter or
data-protection record), yet each asked costs a query. A source's ``Gate`` says what it can
only ever report on: complaints in some statuses, or complaints with rows of one related model.
One probe reads that for the checked complaints (its SQL compiled once per process and number of
complaints), and the watch skips a source none of them passes. A gate is looser than its
source's own filter, never narrower: the source still decides what is due. A source without a
gate always runs; tests/notifications/test_gates.py requires every listed one to have a gate
and the same items with and without the gates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, QuerySet

from common.compiled import CompiledByIds
from complaints.models import Complaint, DataProtectionComplaint, SubjectAccessRequest
from fos.models import Referral
from letters.models import Letter
from remediation.models import RedressItem

# The related models a gate may name, each by its foreign key to the complaint.
RELATED: dict[str, type[Model]] = {
    "redress": RedressItem,
    "fos": Referral,
    "letters": Letter,
    "dpa": DataProtectionComplaint,
    "sar": SubjectAccessRequest,
}


@dataclass(frozen=True)
class Gate:
    """A source reports only complaints (``is_complaint``) in ``statuses``, or only those with
    a row of ``RELATED[related]``."""

    statuses: frozenset[str] = frozenset()
    related: str = ""

    def passes(self, probe: dict[str, object]) -> bool:
        if self.related:
            return bool(probe[self.related])
        return bool(probe["is_complaint"]) and probe["status"] in self.statuses


def _probe(_key: object, ids: list[int]) -> QuerySet[Complaint]:
    related = {
        f"has_{name}": Exists(model.objects.filter(complaint_id=OuterRef("pk")))  # type: ignore[attr-defined]
        for name, model in RELATED.items()
    }
    return (
        Complaint.objects.filter(pk__in=ids)
        .annotate(**related)
        .only("pk", "status", "is_complaint")
        .order_by()
    )


_PROBE = CompiledByIds(_probe)


def runnable(gates: dict[str, Gate], names: Iterable[str], complaint_ids: list[int]) -> set[str]:
    """The sources among ``names`` a check of ``complaint_ids`` must run: those without a
    gate, and those some checked complaint passes."""
    names = list(names)
    gated = [name for name in names if name in gates]
    if not gated:
        return set(names)
    probes = [
        {"status": c.status, "is_complaint": c.is_complaint}
        | {name: getattr(c, f"has_{name}") for name in RELATED}
        for c in _PROBE.objects(None, complaint_ids)
    ]
    return {
        name for name in names if name not in gates or any(gates[name].passes(p) for p in probes)
    }
