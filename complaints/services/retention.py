"""DISP 1.9 retention, the complaint's side: redact and anonymise complaints whose retention
period has ended, their notes, communications, tasks' notes and complainants, and scrub the same
fields from their history. The notifications app decides which complaints may go (holds,
periods) and keeps the retention record; this is the only code that writes those rows for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Case, Value, When
from django.dispatch import Signal
from simple_history.utils import bulk_update_with_history

from common.audit import Actor, history_user, save_audited, snapshot
from common.history_guard import allow_history_rewrite

from ..choices import Status
from ..models import Communication, Complainant, Complaint, Note, Representative, Task

REASON = "retention.anonymise"
# Sent inside the anonymising transaction (history rewrite allowed) with ``complaint_ids`` and
# ``actor``: the apps above that keep personal data about a complaint (mailroom: its e-mails)
# redact theirs in the same transaction, or the whole anonymisation rolls back.
complaints_anonymised = Signal()
# Sent by the retention job once per run, after the complaints, with ``now``, ``actor`` and
# ``dry_run``: the apps above that keep personal data tied to no complaint (mailroom: e-mail
# never filed) apply their own retention; each receiver answers a list of report lines.
retention_job_ran = Signal()
ANONYMISED_NAME = "Anonymised complainant"
REDACTED = "[Redacted: DISP 1.9 retention period ended]"

# Personal data of the complainant. Kept: firm, complainant type, retail flag and the FG21/1
# vulnerability flags (counts and MI use them); removed: identity, contact details, free text
# and the business figures that identify a sole trader.
COMPLAINANT_SCRUB = {
    "name": ANONYMISED_NAME,
    "email": "",
    "phone": "",
    "address": "",
    "client_reference": "",
    "vulnerability_note": "",
    "contact_times": "",  # free text about the person (a reasonable adjustment)
    "employees": None,
    "turnover_gbp": None,
    "turnover_eur": None,
    "balance_sheet_gbp": None,
    "balance_sheet_eur": None,
    "annual_income_gbp": None,
    "net_asset_value_gbp": None,
}


# The complainant's representatives go with them: who they are, where they are, and the
# description of the authority (it names the complainant). Kept: the kind and the dates.
REPRESENTATIVE_SCRUB = {
    "name": "Anonymised representative",
    "organisation": "",
    "address": "",
    "email": "",
    "regulator_reference": "",
    "authority_document": REDACTED,
    "authority_reference": "",
    "ended_reason": "",
}


def _redact_if_set(name: str) -> Case:
    return Case(When(**{name: ""}, then=Value("")), default=Value(REDACTED))


@dataclass(frozen=True)
class Anonymised:
    complaint_ids: list[int]
    complainant_ids: set[int]
    history_rows_scrubbed: int


def complaints_anonymise(*, complaint_ids: list[int], actor: Actor, now: datetime) -> Anonymised:
    """Redact the complaints among ``complaint_ids`` that may still go, in one transaction.

    Re-checked under the lock: a legal hold placed, a complaint reopened or already anonymised
    since the caller planned keeps it. History rows are append-only at the database
    (common.history_guard); this is the one use case allowed to rewrite them."""
    user = history_user(actor)
    who = f"{user.get_username()} (user {user.pk})" if user is not None else "system"
    # The rewrite leaves a tombstone per history row in its audit chain: who, when, why and the
    # hash of what was removed (common.chain_sql).
    with transaction.atomic(), allow_history_rewrite(reason="retention", actor=who):
        # Lock in primary-key order (the project's lock order: complaints first) and re-check
        # under the lock: a hold placed since the plan was made wins.
        locked = list(
            Complaint.objects.select_for_update(of=("self",))
            .filter(pk__in=complaint_ids, legal_hold=False, retention_record__isnull=True)
            .exclude(status__in=Status.open_states())
            .order_by("pk")
        )
        ids = [c.pk for c in locked]
        if not ids:
            return Anonymised([], set(), 0)
        for c in locked:
            before = snapshot(c)
            c.description = REDACTED
            c.external_reference = ""
            c.forward_reason = REDACTED if c.forward_reason else ""
            c.version += 1
            save_audited(c, actor=actor, reason=REASON, before=before)
        scrubbed = _scrub_notes_and_communications(ids, actor=actor)
        scrubbed += Complaint.history.filter(id__in=ids).update(
            description=REDACTED,
            external_reference="",
            forward_reason=_redact_if_set("forward_reason"),
        )
        people = _anonymise_complainants({c.complainant_id for c in locked}, ids, actor, now)
        complaints_anonymised.send(sender=Complaint, complaint_ids=ids, actor=actor)
    return Anonymised(ids, people, scrubbed)


def _scrub_notes_and_communications(ids: list[int], *, actor: Actor) -> int:
    user = history_user(actor)
    notes = list(Note.objects.filter(complaint_id__in=ids))
    for note in notes:
        note.body = REDACTED
    if notes:
        bulk_update_with_history(
            notes, Note, ["body"], default_user=user, default_change_reason=REASON
        )
    comms = list(Communication.objects.filter(complaint_id__in=ids).exclude(summary=""))
    for comm in comms:
        comm.summary = REDACTED
    if comms:
        bulk_update_with_history(
            comms, Communication, ["summary"], default_user=user, default_change_reason=REASON
        )
    # A task's note is free text about the case too ("call Mrs X back about …").
    tasks = list(Task.objects.filter(complaint_id__in=ids).exclude(note=""))
    for task in tasks:
        task.note = REDACTED
    if tasks:
        bulk_update_with_history(
            tasks, Task, ["note"], default_user=user, default_change_reason=REASON
        )
    notes_scrubbed: int = Note.history.filter(complaint_id__in=ids).update(body=REDACTED)
    comms_scrubbed: int = Communication.history.filter(complaint_id__in=ids).update(
        summary=_redact_if_set("summary")
    )
    tasks_scrubbed: int = Task.history.filter(complaint_id__in=ids).update(
        note=_redact_if_set("note")
    )
    return notes_scrubbed + comms_scrubbed + tasks_scrubbed


def _anonymise_complainants(
    candidates: set[int], batch_ids: list[int], actor: Actor, now: datetime
) -> set[int]:
    """A complainant shared by several complaints is anonymised only once every one of their
    complaints is anonymised (earlier, or in this batch)."""
    still_needed = set(
        Complaint.objects.filter(complainant_id__in=candidates, retention_record__isnull=True)
        .exclude(pk__in=batch_ids)
        .values_list("complainant_id", flat=True)
    )
    ready = candidates - still_needed
    people = list(
        Complainant.objects.select_for_update().filter(pk__in=ready, anonymised_at__isnull=True)
    )
    for person in people:
        before = snapshot(person)
        for name, value in COMPLAINANT_SCRUB.items():
            setattr(person, name, value)
        person.anonymised_at = now
        save_audited(person, actor=actor, reason=REASON, before=before)
    Complainant.history.filter(id__in=ready).update(**COMPLAINANT_SCRUB)
    for rep in Representative.objects.select_for_update().filter(complainant_id__in=ready):
        before = snapshot(rep)
        for name, value in REPRESENTATIVE_SCRUB.items():
            setattr(rep, name, value)
        save_audited(rep, actor=actor, reason=REASON, before=before)
    Representative.history.filter(complainant_id__in=ready).update(**REPRESENTATIVE_SCRUB)
    return {p.pk for p in people}
