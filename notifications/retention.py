"""DISP 1.9 record retention: anonymise complaints once the firm no longer needs them.

DISP 1.9.1R(2): keep a record of each complaint and the measures taken for three years from
receipt (the firm may choose longer: ``Firm.retention_years``). After that the complainant's
personal data and the free text about them go; the complaint row, its dates, status, outcome,
flags and counts stay, so historic SUP 16.34 returns still add up. Holds keep a record longer:
``Complaint.legal_hold``, a complaint still open, and any registered hold (the FOS capability
registers "open referral / referral closed less than RETENTION_FOS_BUFFER_DAYS ago",
disp-rules.md §2.10 recommendation).

Each anonymised complaint gets a ``RetentionRecord`` and a history entry whose change reason is
``retention.anonymise``; earlier history rows are scrubbed of the same fields, since history
would otherwise keep every personal detail the live row just lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, Q, Value, When
from simple_history.utils import bulk_update_with_history

from common.audit import history_user, save_audited, snapshot
from common.dates import london_date, uk_date
from common.history_guard import allow_history_rewrite
from complaints.choices import Status
from complaints.models import Communication, Complainant, Complaint, Firm, Note

from . import sources
from .models import RetentionRecord

LONDON = ZoneInfo("Europe/London")
REASON = "retention.anonymise"
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
    "employees": None,
    "turnover_gbp": None,
    "turnover_eur": None,
    "balance_sheet_gbp": None,
    "balance_sheet_eur": None,
    "annual_income_gbp": None,
    "net_asset_value_gbp": None,
}


def _redact_if_set(name: str) -> Case:
    return Case(When(**{name: ""}, then=Value("")), default=Value(REDACTED))


@dataclass(frozen=True)
class Decision:
    complaint_id: int
    reference: str
    firm_id: int
    complainant_id: int
    receipt_date: date
    retained_until: date
    anonymise: bool
    reason: str


@dataclass
class RetentionReport:
    dry_run: bool
    anonymised: list[Decision] = field(default_factory=list)
    kept: list[Decision] = field(default_factory=list)
    complainants_anonymised: int = 0

    def lines(self) -> list[str]:
        verb = "would anonymise" if self.dry_run else "anonymised"
        out = [f"{d.reference}: {verb}: {d.reason}" for d in self.anonymised]
        out += [f"{d.reference}: kept: {d.reason}" for d in self.kept]
        return out


def retained_until(receipt: date, years: int) -> date:
    """Last day of retention: the corresponding date ``years`` after receipt (29 Feb → 28 Feb)."""
    return receipt + relativedelta(years=years)


def retention_plan(*, today: date) -> list[Decision]:
    """Every complaint past its firm's retention period and not yet anonymised, with the
    decision and its reason. One query for the candidates, one per registered hold."""
    firms = list(Firm.objects.all())
    if not firms:
        return []
    condition = Q(pk__in=[])
    for firm in firms:
        # Past retention when retained_until(receipt) < today, i.e. receipt < today - years.
        cutoff = today - relativedelta(years=max(firm.retention_years, 3))
        # received_at bounds receipt_date from below (deferral only moves receipt later), so
        # the indexed (firm, received_at) column narrows the scan.
        midnight = datetime.combine(cutoff, time.min, tzinfo=LONDON)
        condition |= Q(firm_id=firm.pk, received_at__lt=midnight, receipt_date__lt=cutoff)
    years = {f.pk: max(f.retention_years, 3) for f in firms}
    rows = list(
        Complaint.objects.filter(condition, retention_record__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "reference",
            "firm_id",
            "complainant_id",
            "receipt_date",
            "status",
            "legal_hold",
            "legal_hold_reason",
        )
    )
    ids = [r[0] for r in rows]
    buffer_days = int(getattr(settings, "RETENTION_FOS_BUFFER_DAYS", 365))
    held: dict[int, list[str]] = {}
    for hold in sources.RETENTION_HOLDS.values():
        for complaint_id, why in hold(ids, today, buffer_days).items():
            held.setdefault(complaint_id, []).append(why)
    decisions = []
    for pk, reference, firm_id, complainant_id, receipt, status, legal_hold, hold_reason in rows:
        until = retained_until(receipt, years[firm_id])
        reasons = list(held.get(pk, []))
        if legal_hold:
            reasons.insert(0, f"legal hold ({hold_reason or 'no reason given'})")
        if status in Status.open_states():
            reasons.insert(0, "complaint still open")
        base = (
            f"DISP 1.9.1R: received {uk_date(receipt)}, {years[firm_id]}-year retention "
            f"ended {uk_date(until)}"
        )
        decisions.append(
            Decision(
                complaint_id=pk,
                reference=reference,
                firm_id=firm_id,
                complainant_id=complainant_id,
                receipt_date=receipt,
                retained_until=until,
                anonymise=not reasons,
                reason=f"{base}; " + "; ".join(reasons) if reasons else base,
            )
        )
    return decisions


def retention_run(
    *,
    now: datetime,
    actor: AbstractBaseUser | None = None,
    dry_run: bool = False,
    batch_size: int = 100,
) -> RetentionReport:
    """Anonymise every complaint the plan allows (or, with ``dry_run``, only list them)."""
    plan = retention_plan(today=london_date(now))
    report = RetentionReport(dry_run=dry_run)
    report.kept = [d for d in plan if not d.anonymise]
    todo = [d for d in plan if d.anonymise]
    if dry_run:
        report.anonymised = todo
        return report
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        done, people = _anonymise_batch(batch, now=now, actor=actor)
        report.anonymised.extend(done)
        report.complainants_anonymised += people
    return report


def _anonymise_batch(
    batch: list[Decision], *, now: datetime, actor: AbstractBaseUser | None
) -> tuple[list[Decision], int]:
    by_id = {d.complaint_id: d for d in batch}
    # History rows are append-only at the database (common.history_guard); retention is the one
    # use case allowed to rewrite them, and only inside this transaction.
    with transaction.atomic(), allow_history_rewrite(reason="retention"):
        # Lock in primary-key order (the project's lock order: complaints first) and re-check
        # under the lock: a hold placed since the plan was made wins.
        locked = list(
            Complaint.objects.select_for_update(of=("self",))
            .filter(pk__in=by_id, legal_hold=False, retention_record__isnull=True)
            .exclude(status__in=Status.open_states())
            .order_by("pk")
        )
        ids = [c.pk for c in locked]
        if not ids:
            return [], 0
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
        people = _anonymise_complainants({by_id[i].complainant_id for i in ids}, ids, actor, now)
        RetentionRecord.objects.bulk_create(
            [
                RetentionRecord(
                    complaint_id=i,
                    firm_id=by_id[i].firm_id,
                    reference=by_id[i].reference,
                    receipt_date=by_id[i].receipt_date,
                    retained_until=by_id[i].retained_until,
                    anonymised_at=now,
                    actor=history_user(actor),
                    reason=by_id[i].reason[:300],
                    complainant_anonymised=by_id[i].complainant_id in people,
                    history_rows_scrubbed=scrubbed,
                )
                for i in ids
            ]
        )
    return [by_id[i] for i in ids], len(people)


def _scrub_notes_and_communications(ids: list[int], *, actor: AbstractBaseUser | None) -> int:
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
    return Note.history.filter(complaint_id__in=ids).update(
        body=REDACTED
    ) + Communication.history.filter(complaint_id__in=ids).update(summary=_redact_if_set("summary"))


def _anonymise_complainants(
    candidates: set[int], batch_ids: list[int], actor: AbstractBaseUser | None, now: datetime
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
    return {p.pk for p in people}
