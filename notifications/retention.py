"""DISP 1.9 record retention: anonymise complaints once the firm no longer needs them.

DISP 1.9.1R(2): keep a record of each complaint and the measures taken for three years from
receipt (the firm may choose longer: ``Firm.retention_years``). After that the complainant's
personal data and the free text about them go; the complaint row, its dates, status, outcome,
flags and counts stay, so historic SUP 16.34 returns still add up. Holds keep a record longer:
``Complaint.legal_hold``, a complaint still open, and the holds listed in
``notifications.sources`` (an open FOS referral, or one closed less than
RETENTION_FOS_BUFFER_DAYS ago: disp-rules.md §2.10 recommendation).

This module plans and records; the complaint service ``complaints_anonymise`` does the writing,
and ``evidence.services.evidence_purge`` deletes the complaint's evidence files and rows.
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
from django.db.models import Q

from common.audit import history_user
from common.dates import london_date, uk_date
from complaints.choices import Status
from complaints.models import Complaint, Firm
from complaints.services.retention import complaints_anonymise, retention_job_ran
from evidence.services import evidence_purge

from . import sources
from .models import RetentionRecord

LONDON = ZoneInfo("Europe/London")


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
    # What the apps listening to ``retention_job_ran`` did (e-mail never filed, deleted).
    other: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would anonymise" if self.dry_run else "anonymised"
        out = [f"{d.reference}: {verb}: {d.reason}" for d in self.anonymised]
        out += [f"{d.reference}: kept: {d.reason}" for d in self.kept]
        return out + self.other


def retained_until(receipt: date, years: int) -> date:
    """Last day of retention: the corresponding date ``years`` after receipt (29 Feb → 28 Feb)."""
    return receipt + relativedelta(years=years)


def retention_plan(*, today: date) -> list[Decision]:
    """Every complaint past its firm's retention period and not yet anonymised, with the
    decision and its reason. One query for the candidates, one per hold listed in
    notifications.sources."""
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
    else:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            done, people = _anonymise_batch(batch, now=now, actor=actor)
            report.anonymised.extend(done)
            report.complainants_anonymised += people
    for _, lines in retention_job_ran.send(
        sender=RetentionReport, now=now, actor=actor, dry_run=dry_run
    ):
        report.other.extend(lines or [])
    return report


def _anonymise_batch(
    batch: list[Decision], *, now: datetime, actor: AbstractBaseUser | None
) -> tuple[list[Decision], int]:
    by_id = {d.complaint_id: d for d in batch}
    with transaction.atomic():
        done = complaints_anonymise(complaint_ids=list(by_id), actor=actor, now=now)
        ids = done.complaint_ids
        people = done.complainant_ids
        scrubbed = done.history_rows_scrubbed
        # The evidence goes with the record: rows now, stored files once this commits. Only
        # the complaints anonymised above, whose holds were re-checked under lock.
        evidence_purge(complaint_ids=ids, actor=actor)
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
