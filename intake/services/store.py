"""Writing a planned import set-based, in the caller's transaction: a bounded number of queries
however many rows (one INSERT per table per thousand rows or so, ``common.bulk``), every row with
its history but the provenance, which needs none (``intake.models.ImportedComplaint``).

The complainants, the complaints as they end, every complaint's history (one row per step,
with the step's change reason, as the services would have written), the communications and
each complaint's provenance, its file and row (the commit announces the complaints to the
deadline watch once, after its last chunk). References come from the firm's counters, taken once
for each chunk of rows (``references_take``), in file order. History rows are
written by ``COPY`` (``common.bulk.copy_rows``), which fires every trigger an INSERT fires, so
the history tables' audit chain runs over each table's rows once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db.models.functions import Upper
from django.utils import timezone

from common.audit import HistoryRows, history_user
from common.bulk import columns, copy_rows
from complaints.choices import DeliveryMethod
from complaints.models import Communication, Complainant, Complaint, Firm
from complaints.services.intake import DUPLICATE_WITHIN, references_take

from ..models import ImportedComplaint
from .plan import COMPLAINT_COLUMNS, Planned

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _key(name: str, email: str, client_reference: str) -> list[tuple[str, str]]:
    return [
        (kind, value.strip().upper())
        for kind, value in (("n", name), ("e", email), ("r", client_reference))
        if value.strip()
    ]


def _oldest(cand: tuple[datetime, Any, Any, list[tuple[str, str]]]) -> tuple[Any, ...]:
    in_file = isinstance(cand[1], Complaint)
    return (cand[0], in_file, 0 if in_file else cand[1])


def _likely_duplicates(firm: Firm, plans: list[Planned]) -> dict[int, Complaint | int]:
    """``complaint_register``'s likely-duplicate flag for each planned complaint (by index):
    the earliest complaint of the same complainant (name, e-mail or client reference, any case)
    with the same description received within a day, or that one's own original, looked for
    in the register (one query) and among the file's earlier rows, as a row-by-row import
    would have found them."""
    if not plans:
        return {}
    times = [p.complaint.received_at for p in plans]
    descriptions = {p.complaint.description.strip().upper() for p in plans}
    # (received_at, id, likely_duplicate_of_id or None, description, match keys)
    candidates: dict[str, list[tuple[datetime, Any, Any, list[tuple[str, str]]]]] = {}
    existing = (
        Complaint.objects.filter(
            firm=firm,
            received_at__gte=min(times) - DUPLICATE_WITHIN,
            received_at__lte=max(times) + DUPLICATE_WITHIN,
        )
        .annotate(desc=Upper("description"))
        .filter(desc__in=list(descriptions))
        .values_list(
            "received_at",
            "id",
            "likely_duplicate_of_id",
            "desc",
            "complainant__name",
            "complainant__email",
            "complainant__client_reference",
        )
    )
    for at, pk, dup, desc, name, email, ref in existing:
        candidates.setdefault(desc.strip(), []).append((at, pk, dup, _key(name, email, ref)))
    found: dict[int, Complaint | int] = {}
    for index, plan in enumerate(plans):
        c, person = plan.complaint, plan.complainant
        desc = c.description.strip().upper()
        keys = set(_key(person.name, person.email, person.client_reference))
        near = [
            cand
            for cand in candidates.get(desc, [])
            if abs(cand[0] - c.received_at) <= DUPLICATE_WITHIN and keys & set(cand[3])
        ]
        if near:
            # The service takes the oldest (newest first, then the last); ties by id, so the
            # file's own earlier rows come after the register's.
            oldest = min(near, key=_oldest)
            found[index] = oldest[2] or oldest[1]
        candidates.setdefault(desc, []).append((c.received_at, c, found.get(index), list(keys)))
    return found


def _insert(model: type[Any], values: list[dict[str, Any]]) -> list[int]:
    """Insert rows given as attname dicts; their new ids, in order."""
    names = columns(model, skip=("id",))
    ids = copy_rows(model, names, [tuple(v[n] for n in names) for v in values], new_ids=True)
    for pk, v in zip(ids, values, strict=True):
        v["id"] = pk
    return ids


class _ComplaintRows:
    """A complaint's row and its history rows from the planned snapshots (tuples in
    ``columns(Complaint)`` order, ``plan.COMPLAINT_COLUMNS``) and the values the store adds,
    picked by position (no dict a step): the same values simple-history writes on save."""

    OWN = ("reference", "complainant_id", "likely_duplicate_of_id", "created_at", "updated_at")

    def __init__(self, user_id: int | None, at: datetime) -> None:
        self.names = list(COMPLAINT_COLUMNS)
        self.history = Complaint.history.model
        self.history_names = columns(self.history, skip=("history_id",))
        width = len(self.names)
        # A combined row: the snapshot, then OWN and the id, then when, who, why and how.
        place = {name: i for i, name in enumerate(self.names)}
        when = ("history_date", "history_user_id", "history_change_reason", "history_type")
        extra = (*self.OWN, "id", *when)
        place |= {name: width + i for i, name in enumerate(extra)}
        self._final = itemgetter(*(place[n] for n in self.names))
        self._step = itemgetter(*(place[n] for n in self.history_names))
        self._when = (at, user_id)

    def final(self, values: tuple[Any, ...], fixed: list[Any]) -> tuple[Any, ...]:
        row: tuple[Any, ...] = self._final((*values, *fixed, None, *self._when, "", ""))
        return row

    def step(
        self, values: tuple[Any, ...], fixed: list[Any], reason: str, kind: str
    ) -> tuple[Any, ...]:
        row: tuple[Any, ...] = self._step((*values, *fixed, *self._when, reason, kind))
        return row


def store(*, firm: Firm, actor: User | None, plans: list[Planned], batch_id: int) -> None:
    """Write every planned row (see the module docstring); ``plans`` in file order."""
    if not plans:
        return
    user_id = getattr(history_user(actor), "pk", None)
    at = timezone.now()
    people = [{**vars(p.complainant), "created_at": at} for p in plans]
    _insert(Complainant, people)
    history = HistoryRows(Complainant, user_id, at)
    history.copy([history.row(p, "complainant.create") for p in people])

    years = Counter(p.complaint.receipt_date.year for p in plans)
    taken = references_take(firm=firm, counts=years)
    references = {year: iter(refs) for year, refs in taken.items()}
    duplicates = _likely_duplicates(firm, plans)
    # Each complaint's values that are not its last step's: (reference, complainant,
    # likely duplicate, created, updated), then its id once inserted.
    fixed: list[list[Any]] = []
    for index, (plan, person) in enumerate(zip(plans, people, strict=True)):
        c = plan.complaint
        dup = duplicates.get(index)
        c.reference = next(references[c.receipt_date.year])
        original = None if isinstance(dup, Complaint) else dup
        fixed.append([c.reference, person["id"], original, at, at])
    rows = _ComplaintRows(user_id, at)
    ids = copy_rows(
        Complaint,
        rows.names,
        [rows.final(p.snapshots[-1][1], f) for p, f in zip(plans, fixed, strict=True)],
        new_ids=True,
    )
    for plan, values, pk in zip(plans, fixed, ids, strict=True):
        plan.complaint.pk = pk
        values.append(pk)
    within_file = []
    for index, dup in duplicates.items():
        if isinstance(dup, Complaint):
            fixed[index][2] = dup.pk
            within_file.append((plans[index].complaint.pk, dup.pk))
    Complaint.objects.bulk_update(
        [Complaint(pk=pk, likely_duplicate_of_id=original) for pk, original in within_file],
        ["likely_duplicate_of"],
        batch_size=1000,
    )
    copy_rows(
        rows.history,
        rows.history_names,
        [
            rows.step(values, f, reason, "~" if i else "+")
            for plan, f in zip(plans, fixed, strict=True)
            for i, (reason, values) in enumerate(plan.snapshots)
        ],
    )

    letters = [
        {
            "complaint_id": plan.complaint.pk,
            "kind": kind,
            "method": DeliveryMethod.EMAIL,
            "sent_at": sent_at,
            "sent_by_id": user_id,
            "includes_fos_referral_right": fos_right,
            "includes_six_month_wording": six_month,
            "waiver_consent": False,
            "summary": summary,
            "recorded_at": at,
        }
        for plan in plans
        for kind, sent_at, fos_right, six_month, summary in plan.communications
    ]
    _insert(Communication, letters)
    history = HistoryRows(Communication, user_id, at)
    history.copy([history.row(c, f"communication.{c['kind']}") for c in letters])

    # Where each complaint came from: one narrow row each, no history (``ImportedComplaint``).
    copy_rows(
        ImportedComplaint,
        ("complaint_id", "batch_id", "row"),
        [(plan.complaint.pk, batch_id, plan.row.number) for plan in plans],
    )
