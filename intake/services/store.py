"""Writing a planned import set-based, in the caller's transaction: a bounded number of queries
however many rows (one INSERT per table per ``BATCH`` rows), every row with its history.

The complainants, the complaints as they end, every complaint's history (one row per step,
with the step's change reason, as the services would have written), the communications, the
notes saying where each row came from and the deadline watch's announcements. References come
from the firm's counters, taken once for the batch (``references_take``). History rows are
ordinary INSERTs (``bulk_create``), so any trigger on the history tables runs for each.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models.functions import Upper
from django.utils import timezone

from common.audit import history_user
from complaints.models import Communication, Complainant, Complaint, Firm, Note
from complaints.services._base import after_commit_many
from complaints.services.intake import DUPLICATE_WITHIN, references_take

from .plan import Planned

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BATCH = 1000  # rows per INSERT: under PostgreSQL's 65,535 parameters for the widest table


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


def _history(plan: Planned, actor: User | None, at: datetime) -> list[Any]:
    c = plan.complaint
    model = Complaint.history.model
    rows = []
    fixed = {
        "id": c.pk,
        "reference": c.reference,
        "complainant_id": c.complainant_id,
        "likely_duplicate_of_id": c.likely_duplicate_of_id,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }
    for index, (reason, values) in enumerate(plan.snapshots):
        rows.append(
            model(
                **{**values, **fixed},
                history_date=at,
                history_type="+" if index == 0 else "~",
                history_change_reason=reason,
                history_user_id=getattr(actor, "pk", None),
            )
        )
    return rows


def store(
    *, firm: Firm, actor: User | None, plans: list[Planned], now: datetime, label: str
) -> None:
    """Write every planned row (see the module docstring); ``plans`` in file order."""
    if not plans:
        return
    user = history_user(actor)
    at = timezone.now()
    people = [p.complainant for p in plans]
    Complainant.objects.bulk_create(people, batch_size=BATCH)
    Complainant.history.bulk_history_create(
        people,
        batch_size=BATCH,
        default_user=user,
        default_change_reason="complainant.create",
        default_date=at,
    )
    years = Counter(p.complaint.receipt_date.year for p in plans)
    references = {
        year: iter(refs) for year, refs in references_take(firm=firm, counts=years).items()
    }
    duplicates = _likely_duplicates(firm, plans)
    within_file: list[tuple[Complaint, Complaint]] = []
    for index, plan in enumerate(plans):
        c = plan.complaint
        c.complainant = plan.complainant
        c.reference = next(references[c.receipt_date.year])
        dup = duplicates.get(index)
        if isinstance(dup, Complaint):
            within_file.append((c, dup))
        else:
            c.likely_duplicate_of_id = dup
    complaints = [p.complaint for p in plans]
    Complaint.objects.bulk_create(complaints, batch_size=BATCH)
    for c, original in within_file:
        c.likely_duplicate_of_id = original.pk
    if within_file:
        Complaint.objects.bulk_update(
            [c for c, _ in within_file], ["likely_duplicate_of"], batch_size=BATCH
        )
    Complaint.history.model.objects.bulk_create(
        [row for plan in plans for row in _history(plan, actor, at)], batch_size=BATCH
    )
    letters = []
    for plan in plans:
        for comm in plan.communications:
            comm.complaint, comm.sent_by = plan.complaint, user
            comm._change_reason = f"communication.{comm.kind}"  # type: ignore[attr-defined]
            letters.append(comm)
    Communication.objects.bulk_create(letters, batch_size=BATCH)
    Communication.history.bulk_history_create(
        letters, batch_size=BATCH, default_user=user, default_date=at
    )
    notes = [
        Note(
            complaint=plan.complaint,
            author=user,
            body=f"{label}, row {plan.row.number} (status at import: {plan.complaint.status}).",
            created_at=now,
        )
        for plan in plans
    ]
    Note.objects.bulk_create(notes, batch_size=BATCH)
    Note.history.bulk_history_create(
        notes,
        batch_size=BATCH,
        default_user=user,
        default_change_reason="complaint.note",
        default_date=at,
    )
    after_commit_many([c.pk for c in complaints], "register", now=now)
