"""Writing a planned import set-based, in the caller's transaction: a bounded number of queries
however many rows (one ``COPY`` per table per chunk, ``common.bulk.copy_prepare``), every row
with its history.

The complainants, the complaints as they end, every complaint's history (one row per step,
with the step's change reason, as the services would have written), the communications, each
complaint's provenance (its file and row: ``intake.models.ImportedComplaint``, a row that needs
no history of its own), and each complaint's announcement to the deadline watch
(one outbox message per complaint, written with its chunk; the commit publishes their sweep
once, after its last chunk). History rows are written by ``COPY``, which fires every
trigger an INSERT fires, so the history tables' audit chain runs over each table's rows once.

A chunk is written in three steps, so that the database is the only work on the writing
thread (``pipeline``; issue 18):

- ``Import.reserve`` asks the database what the rows need from it, in one go per chunk: new
  keys for the complainants, complaints and communications (``common.bulk.Sequences``:
  one ``nextval`` query, in file order, the keys a ``COPY`` would have taken), the chunk's
  references from the firm's counters (``references_take``, in file order) and the register's
  complaints the chunk's rows may repeat (one query). None of it depends on the chunks before
  being written: keys and references only on the reservations before (made in file order),
  and the file's own earlier rows are matched in memory (``_Duplicates``), so a chunk is
  reserved before the chunk before it is written.
- ``Import.build`` makes every row, keys and references included, in Python only.
- ``write`` copies them: nothing but statements.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db.models.functions import Upper
from django.utils import timezone

from common.audit import HistoryRows, history_user
from common.bulk import CopyRows, Sequences, columns, copy_prepare, copy_write
from complaints.choices import DeliveryMethod
from complaints.models import Communication, Complainant, Complaint, Firm
from complaints.services._base import after_commit_rows
from complaints.services.intake import DUPLICATE_WITHIN, references_take

from ..models import ImportedComplaint
from .plan import COMPLAINT_COLUMNS, Planned

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A complaint a row may repeat: (received_at, order, what a repeat points at, match keys). The
# order puts the register's complaints by id before the file's rows, those in file order;
# a repeat points at the complaint's own original if it has one, else at the complaint.
_Candidate = tuple[datetime, tuple[bool, int], int, frozenset[tuple[str, str]]]


def _key(name: str, email: str, client_reference: str) -> frozenset[tuple[str, str]]:
    return frozenset(
        (kind, value.strip().upper())
        for kind, value in (("n", name), ("e", email), ("r", client_reference))
        if value.strip()
    )


@dataclass
class Reserved:
    """What the database gives one chunk before its rows are built (``Import.reserve``)."""

    ids: dict[type[Any], list[int]]
    references: dict[int, list[str]]
    register: dict[str, list[_Candidate]]  # by description, upper case


class _Duplicates:
    """``complaint_register``'s likely-duplicate flag: the earliest complaint of the same
    complainant (name, e-mail or client reference, any case) with the same description received
    within a day, or that one's own original, looked for in the register (``register``: one
    query a chunk, ``Import.reserve``) and among the file's earlier rows, as a row-by-row import
    would have found them. The file's rows are kept here, every chunk's, so a chunk's check
    needs none of the chunks before it written."""

    def __init__(self) -> None:
        self.in_file: dict[str, list[_Candidate]] = {}

    @staticmethod
    def register(firm: Firm, plans: list[Planned], mine: set[int]) -> dict[str, list[_Candidate]]:
        """The register's complaints the rows of ``plans`` may repeat (not this import's own:
        those are matched in memory), by description."""
        times = [p.complaint.received_at for p in plans]
        descriptions = {p.complaint.description.strip().upper() for p in plans}
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
        found: dict[str, list[_Candidate]] = {}
        for at, pk, dup, desc, name, email, ref in existing:
            if pk not in mine:
                found.setdefault(desc.strip(), []).append(
                    (at, (False, pk), dup or pk, _key(name, email, ref))
                )
        return found

    def find(
        self, plans: list[Planned], ids: list[int], register: dict[str, list[_Candidate]]
    ) -> list[int | None]:
        """Each planned complaint's original (``ids`` their keys, in file order), or None."""
        found: list[int | None] = []
        for plan, pk in zip(plans, ids, strict=True):
            c, person = plan.complaint, plan.complainant
            desc = c.description.strip().upper()
            keys = _key(person.name, person.email, person.client_reference)
            near = [
                cand
                for cand in (*register.get(desc, ()), *self.in_file.get(desc, ()))
                if abs(cand[0] - c.received_at) <= DUPLICATE_WITHIN and keys & cand[3]
            ]
            # The service takes the oldest (newest first, then the last); ties by id, so the
            # file's own rows come after the register's, in file order.
            dup = min(near, key=itemgetter(0, 1))[2] if near else None
            found.append(dup)
            self.in_file.setdefault(desc, []).append((c.received_at, (True, 0), dup or pk, keys))
        return found


class _ComplaintRows:
    """A complaint's row and its history rows from the planned snapshots (tuples in
    ``columns(Complaint)`` order, ``plan.COMPLAINT_COLUMNS``) and the values the store adds,
    picked by position (no dict a step): the same values simple-history writes on save."""

    OWN = ("reference", "complainant_id", "likely_duplicate_of_id", "created_at", "updated_at")

    def __init__(self, user_id: int | None, at: datetime) -> None:
        self.names = ["id", *COMPLAINT_COLUMNS]
        self.history = Complaint.history.model
        self.history_names = columns(self.history, skip=("history_id",))
        width = len(COMPLAINT_COLUMNS)
        # A combined row: the snapshot, then OWN and the id, then when, who, why and how.
        place = {name: i for i, name in enumerate(COMPLAINT_COLUMNS)}
        when = ("history_date", "history_user_id", "history_change_reason", "history_type")
        extra = (*self.OWN, "id", *when)
        place |= {name: width + i for i, name in enumerate(extra)}
        self._final = itemgetter(*(place[n] for n in self.names))
        self._step = itemgetter(*(place[n] for n in self.history_names))
        self._when = (at, user_id)

    def final(self, values: tuple[Any, ...], fixed: list[Any]) -> tuple[Any, ...]:
        row: tuple[Any, ...] = self._final((*values, *fixed, *self._when, "", ""))
        return row

    def step(
        self, values: tuple[Any, ...], fixed: list[Any], reason: str, kind: str
    ) -> tuple[Any, ...]:
        row: tuple[Any, ...] = self._step((*values, *fixed, *self._when, reason, kind))
        return row


class Import:
    """One commit's writes, chunk by chunk in file order (see the module docstring)."""

    def __init__(self, *, firm: Firm, actor: User | None, now: datetime, batch_id: int) -> None:
        self.firm, self.now, self.batch_id = firm, now, batch_id
        self.user_id = getattr(history_user(actor), "pk", None)
        self.sequences = Sequences()
        self.duplicates = _Duplicates()
        self.mine: set[int] = set()  # this import's complaints (reserved), not the register's

    def reserve(self, plans: list[Planned]) -> Reserved:
        """The keys, references and register rows ``plans`` need (database only: the writing
        thread's, in file order)."""
        counts: dict[type[Any], int] = {
            Complainant: len(plans),
            Complaint: len(plans),
            Communication: sum(len(p.communications) for p in plans),
        }
        ids = self.sequences.take(counts)
        years = Counter(p.complaint.receipt_date.year for p in plans)
        references = references_take(firm=self.firm, counts=years)
        register = _Duplicates.register(self.firm, plans, self.mine)
        self.mine.update(ids[Complaint])
        return Reserved(ids, references, register)

    def build(self, plans: list[Planned], reserved: Reserved) -> list[CopyRows]:
        """Every row of ``plans`` and their history, ready to copy (Python only); each planned
        complaint gets its key and reference."""
        user_id, ids = self.user_id, reserved.ids
        at = timezone.now()
        copies: list[CopyRows] = []
        ready = copies.append
        names = columns(Complainant)
        people = [
            {**vars(p.complainant), "id": pk, "created_at": at}
            for p, pk in zip(plans, ids[Complainant], strict=True)
        ]
        ready(copy_prepare(Complainant, names, list(map(itemgetter(*names), people))))
        history = HistoryRows(Complainant, user_id, at)
        ready(history.prepare([history.row(p, "complainant.create") for p in people]))

        references = {year: iter(refs) for year, refs in reserved.references.items()}
        originals = self.duplicates.find(plans, ids[Complaint], reserved.register)
        # Each complaint's values that are not its last step's: (reference, complainant,
        # likely duplicate, created, updated, id).
        fixed: list[list[Any]] = []
        for plan, person, original, pk in zip(
            plans, people, originals, ids[Complaint], strict=True
        ):
            c = plan.complaint
            c.pk = pk
            c.reference = next(references[c.receipt_date.year])
            fixed.append([c.reference, person["id"], original, at, at, pk])
        rows = _ComplaintRows(user_id, at)
        # A complaint's row and its last step's history row hold the same deadline rules: their
        # JSON text is made once for both (the snapshots are kept alive by ``plans``).
        texts: dict[tuple[Any, ...], Any] = {}
        ready(
            copy_prepare(
                Complaint,
                rows.names,
                [rows.final(p.snapshots[-1][1], f) for p, f in zip(plans, fixed, strict=True)],
                texts=texts,
            )
        )
        ready(
            copy_prepare(
                rows.history,
                rows.history_names,
                [
                    rows.step(values, f, reason, "~" if i else "+")
                    for plan, f in zip(plans, fixed, strict=True)
                    for i, (reason, values) in enumerate(plan.snapshots)
                ],
                texts=texts,
            )
        )

        names = columns(Communication)
        letters = [
            {
                "id": pk,
                "complaint_id": complaint_id,
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
            for pk, (complaint_id, (kind, sent_at, fos_right, six_month, summary)) in zip(
                ids[Communication],
                (
                    (pk, letter)
                    for plan, pk in zip(plans, ids[Complaint], strict=True)
                    for letter in plan.communications
                ),
                strict=True,
            )
        ]
        ready(copy_prepare(Communication, names, list(map(itemgetter(*names), letters))))
        history = HistoryRows(Communication, user_id, at)
        ready(history.prepare([history.row(c, f"communication.{c['kind']}") for c in letters]))

        # Where each complaint came from: one narrow row each, no history (``ImportedComplaint``).
        ready(
            copy_prepare(
                ImportedComplaint,
                ("complaint_id", "batch_id", "row"),
                [
                    (pk, self.batch_id, plan.row.number)
                    for plan, pk in zip(plans, ids[Complaint], strict=True)
                ],
            )
        )

        # The announcement to the deadline watch, one message per complaint (as
        # ``after_commit``): the commit publishes their sweep once, after its last chunk.
        ready(after_commit_rows(ids[Complaint], "register", now=self.now))
        return copies


def write(copies: list[CopyRows]) -> None:
    """Copy the rows ``Import.build`` made, table by table in its order (statements only)."""
    for ready in copies:
        copy_write(ready)
