"""The FOS case file: one ZIP per referral, ready to upload to the Ombudsman.

Contents: a chronology (CSV, HTML and PDF), the audit trail as CSV (history of the complaint,
its communications and the referral), the complaint summary, a list of communications, and
and the PDF of every letter sent to the complainant (from the letters app, below this one).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string

from common import exports
from common.dates import LONDON, uk_date, uk_datetime
from common.pdf import html_document
from complaints.models import Communication, Complaint
from evidence.casefile import add_evidence
from evidence.models import Evidence
from letters.selectors import sent_letter_pdfs

from .models import FosDeadline, Referral, ReferralStage


@dataclass(frozen=True)
class Event:
    when: datetime | date
    what: str
    detail: str
    source: str

    @property
    def sort_key(self) -> tuple:
        if isinstance(self.when, datetime):
            return (self.when.astimezone(LONDON).date(), self.when.astimezone(LONDON).time())
        return (self.when, datetime.max.time())

    @property
    def display(self) -> str:
        return uk_datetime(self.when) if isinstance(self.when, datetime) else uk_date(self.when)


def chronology(referral: Referral, communications: list[Communication]) -> list[Event]:
    c = referral.complaint
    events = [Event(c.received_at, "Complaint received", c.get_channel_display(), "complaint")]
    for comm in communications:
        extra = []
        if comm.includes_fos_referral_right:
            extra.append("FOS referral rights")
        if comm.includes_six_month_wording:
            extra.append("six-month wording")
        if comm.waiver_consent:
            extra.append("consent to waive time limits")
        detail = comm.get_method_display() + (f"; includes {', '.join(extra)}" if extra else "")
        events.append(Event(comm.sent_at, comm.get_kind_display(), detail, "communication"))
    for label, value in (
        ("Complaint forwarded (DISP 1.7)", c.forwarded_at),
        ("Complaint withdrawn", c.withdrawn_at),
        ("Complaint closed", c.closed_at),
    ):
        if value:
            events.append(Event(value, label, "", "complaint"))
    if c.event_date:
        events.append(Event(c.event_date, "Event complained of", "", "complaint"))
    for stage in referral.stages.all():
        events.append(
            Event(stage.entered_on, f"FOS: {stage.get_stage_display()}", stage.note, "referral")
        )
    for d in referral.deadlines.all():
        events.append(
            Event(
                d.created_at,
                f"FOS deadline set: {d.description}",
                f"due {uk_date(d.due_on)}" + (f" ({d.source})" if d.source else ""),
                "fos_deadline",
            )
        )
        if d.done_at:
            what = "closed" if d.closed_note else "met"
            events.append(
                Event(
                    d.done_at,
                    f"FOS deadline {what}: {d.description}",
                    d.closed_note,
                    "fos_deadline",
                )
            )
    if referral.complied_on:
        paid = f"£{referral.amount_paid:,.2f} paid" if referral.amount_paid is not None else ""
        if referral.shortfall_reason:
            paid = f"{paid}; less than the award because: {referral.shortfall_reason}"
        events.append(Event(referral.complied_on, "Award complied with", paid, "referral"))
    return sorted(events, key=lambda e: e.sort_key)


_HISTORY_SKIP = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
    "history_relation_id",
    "updated_at",
    "version",
}


def _history_rows(model, **filters) -> list[dict[str, Any]]:
    """History of one model's rows, with the fields each change altered."""
    rows = list(
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    fields = [
        f.attname
        for f in model.history.model._meta.concrete_fields
        if f.attname not in _HISTORY_SKIP
    ]
    out = []
    previous: dict[int, Any] = {}
    for h in rows:
        prev = previous.get(h.id)
        if prev is None:
            changed = "(created)"
        else:
            changed = "; ".join(
                f"{name}: {getattr(prev, name)!s} → {getattr(h, name)!s}"
                for name in fields
                if getattr(prev, name) != getattr(h, name)
            )
        previous[h.id] = h
        out.append(
            {
                "when": h.history_date,
                "record": model._meta.verbose_name,
                "record_id": h.id,
                "change": {"+": "created", "~": "changed", "-": "deleted"}[h.history_type],
                "user": (h.history_user.get_full_name() or h.history_user.get_username())
                if h.history_user
                else "system",
                "reason": h.history_change_reason or "",
                "fields_changed": changed,
            }
        )
    return out


def audit_trail(referral: Referral) -> list[dict[str, Any]]:
    c = referral.complaint
    rows = [
        *_history_rows(Complaint, id=c.pk),
        *_history_rows(Communication, complaint_id=c.pk),
        *_history_rows(Evidence, complaint_id=c.pk),
        *_history_rows(Referral, id=referral.pk),
        *_history_rows(ReferralStage, referral_id=referral.pk),
        *_history_rows(FosDeadline, referral_id=referral.pk),
    ]
    return sorted(rows, key=lambda r: r["when"])


CHRONOLOGY_COLUMNS = (
    exports.Column("date", "Date (Europe/London)"),
    exports.Column("event", "Event"),
    exports.Column("detail", "Detail"),
    exports.Column("source", "Source"),
)
AUDIT_COLUMNS = (
    exports.Column("when", "When (Europe/London)"),
    exports.Column("record", "Record"),
    exports.Column("record_id", "Record ID"),
    exports.Column("change", "Change"),
    exports.Column("user", "User"),
    exports.Column("reason", "Reason"),
    exports.Column("fields_changed", "Fields changed"),
)
COMMUNICATION_COLUMNS = (
    exports.Column("sent_at", "Sent at (Europe/London)"),
    exports.Column("kind", "Kind"),
    exports.Column("method", "Method"),
    exports.Column("sent_by", "Sent by"),
    exports.Column("fos_rights", "Includes FOS referral rights"),
    exports.Column("six_month_wording", "Includes six-month wording"),
    exports.Column("waiver_consent", "Consent to waive time limits"),
    exports.Column("summary", "Summary"),
)


def _safe_name(name: str, taken: set[str]) -> str:
    base = posixpath.basename(name.replace("\\", "/")) or "attachment.pdf"
    candidate, n = base, 1
    while candidate in taken:
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem or base}-{n}{dot}{ext if stem else ''}"
        n += 1
    taken.add(candidate)
    return candidate


def _pdf(html: str) -> bytes:
    return html_document(html).write_pdf()


def build_case_file(referral: Referral, *, now: datetime) -> tuple[str, bytes]:
    """Build the ZIP for ``referral``. Returns (filename, bytes)."""
    referral = (
        Referral.objects.select_related("complaint", "complaint__complainant", "firm")
        .prefetch_related("stages", "deadlines")
        .get(pk=referral.pk)
    )
    complaint = referral.complaint
    communications = list(complaint.communications.select_related("sent_by").order_by("sent_at"))
    events = chronology(referral, communications)
    audit = audit_trail(referral)
    context = {
        "referral": referral,
        "complaint": complaint,
        "events": events,
        "communications": communications,
        "generated_at": now,
    }
    chronology_html = render_to_string("fos/export/chronology.html", context)
    summary_html = render_to_string("fos/export/summary.html", context)
    stem = (referral.fos_reference or f"referral-{referral.pk}").replace("/", "-")
    folder = f"{complaint.reference}_{stem}"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        files: list[str] = []

        def add(name: str, data: bytes | str) -> None:
            zf.writestr(f"{folder}/{name}", data)
            files.append(name)

        add("complaint_summary.html", summary_html)
        add(
            "chronology.csv",
            exports.csv_bytes(
                exports.Table(
                    "Chronology",
                    CHRONOLOGY_COLUMNS,
                    ([e.when, e.what, e.detail, e.source] for e in events),
                )
            ),
        )
        add("chronology.html", chronology_html)
        add("chronology.pdf", _pdf(chronology_html))
        add(
            "audit_trail.csv",
            exports.csv_bytes(
                exports.Table(
                    "Audit trail", AUDIT_COLUMNS, ([r[c.key] for c in AUDIT_COLUMNS] for r in audit)
                )
            ),
        )
        add(
            "communications.csv",
            exports.csv_bytes(
                exports.Table(
                    "Communications",
                    COMMUNICATION_COLUMNS,
                    (
                        [
                            m.sent_at,
                            m.get_kind_display(),
                            m.get_method_display(),
                            (m.sent_by.get_full_name() or m.sent_by.get_username())
                            if m.sent_by
                            else "",
                            m.includes_fos_referral_right,
                            m.includes_six_month_wording,
                            m.waiver_consent,
                            m.summary,
                        ]
                        for m in communications
                    ),
                )
            ),
        )
        taken: set[str] = set()
        for filename, data in sent_letter_pdfs(complaint):
            add(f"letters/{_safe_name(filename, taken)}", data)
        files.extend(add_evidence(zf, folder, complaint.pk))
        manifest = [
            f"FOS case file for complaint {complaint.reference}",
            f"FOS reference: {referral.label}",
            f"Firm: {referral.firm.name} (FRN {referral.firm.frn})",
            f"Generated: {uk_datetime(now)} (Europe/London)",
            "",
            "Contents:",
            *(f"  {name}" for name in files),
        ]
        if not taken:
            manifest += [
                "",
                "No letter PDFs were available; communications.csv lists every communication sent.",
            ]
        zf.writestr(f"{folder}/README.txt", "\n".join(manifest) + "\n")
    return f"{folder}.zip", buf.getvalue()
