"""The case's records in words: the complaint, its complainant, communications, notes,
representatives, the firm's settings and memberships, and the letters. The apps above register
their own records' describers (fos, remediation, reporting: their ``describers`` modules).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from common.dates import uk_date, uk_datetime
from letters.models import FosLeaflet, Letter, LetterDelivery, LetterTemplate, LetterTemplateVersion

from ..choices import Outcome, RedressKind
from ..models import (
    Communication,
    Complainant,
    Complaint,
    Firm,
    ForwardedPart,
    Membership,
    Note,
    Representative,
)
from .describe import Describer, Said, changed, default_said, money, register_describer, shown
from .entries import TimelineEntry
from .reasons import REASONS

# --- the complaint ---------------------------------------------------------------------------

_RESPONSES = ("complaint.final_response", "complaint.resolve_summary")


def _redress_by_complaint(entries: list[TimelineEntry]) -> dict[int, list[Any]]:
    """The redress offered on the complaints whose responses are in ``entries``: read through
    the complaint's reverse relation (the ledger is the remediation app's, above this one)."""
    ids = {e.object_id for e in entries if (e.reason or "").split(":")[0] in _RESPONSES}
    if not ids:
        return {}
    ledger = Complaint._meta.get_field("redress_items").related_model
    found: dict[int, list[Any]] = defaultdict(list)
    rows = ledger._default_manager.filter(complaint_id__in=ids).values_list(
        "complaint_id", "kind", "amount_gbp", "offered_at", "declined_at"
    )
    for complaint_id, *item in rows:
        found[complaint_id].append(item)
    return found


def _redress_words(items: list[Any], at: Any) -> str:
    """The redress offered by ``at`` and not declined by then: "£125.00 redress"."""
    live = [
        (kind, amount)
        for kind, amount, offered_at, declined_at in items
        if offered_at is not None and offered_at <= at and not (declined_at and declined_at <= at)
    ]
    total = sum(
        (a for k, a in live if a is not None and k != RedressKind.REMEDIAL_ACTION), Decimal(0)
    )
    words = []
    if total:
        words.append(f"{money(total)} redress")
    if any(k == RedressKind.REMEDIAL_ACTION for k, _ in live):
        words.append("remedial action")
    return " and ".join(words)


def _complaint(entry: TimelineEntry, redress: dict[int, list[Any]]) -> Said | None:
    row = entry.record
    reason = (entry.reason or "").split(":")[0].strip()
    said = default_said(entry)
    if reason == "complaint.register":
        what = "Complaint logged" if row.is_complaint else "Feedback or query logged"
        channel = shown(entry, "channel").lower()
        return Said(what, (f"received {uk_datetime(row.received_at)} by {channel}",))
    if reason in _RESPONSES:
        outcome = Outcome(row.outcome).label.lower() if row.outcome else ""
        return Said(said.what, (outcome, _redress_words(redress.get(row.id, []), entry.at)))
    if reason == "complaint.holding_response" and row.expected_final_response_on:
        return Said(
            said.what, (f"final response expected {uk_date(row.expected_final_response_on)}",)
        )
    if reason == "complaint.forward" and row.forwarded_to_firm:
        return Said(f"Forwarded to {row.forwarded_to_firm} (DISP 1.7)")
    if reason == "complaint.assign" and changed(entry, "owner"):
        return Said(said.what, (f"now {shown(entry, 'owner')}",))
    if entry.action == "created" and not entry.reason:
        return Said("Complaint logged")
    return said if entry.reason else Said("Complaint changed")


register_describer(
    Complaint._meta.label_lower,
    Describer(
        sentence=_complaint,
        prepare=_redress_by_complaint,
        ref_label=lambda c: c.reference,
        # How the deadlines were worked out (each one is shown changing, in words).
        hidden=frozenset({"deadline_rules", "deadlines_computed_at", "calendar_version"}),
        subject=lambda e: f"Complaint {e.record.reference}",
    ),
)

register_describer(
    Complainant._meta.label_lower,
    Describer(
        ref_label=lambda p: p.name,
        subject=lambda e: f"Complainant {e.record.name}",
        sentence=lambda e, _: None if e.reason else Said(f"Complainant {e.action}"),
    ),
)


def _communication(entry: TimelineEntry, _: Any) -> Said:
    row = entry.record
    kind = shown(entry, "kind")
    if entry.action != "created":
        return Said(f"{kind} record {entry.action}")
    return Said(
        f"{kind} recorded as sent",
        (f"by {shown(entry, 'method').lower()}", uk_datetime(row.sent_at)),
    )


register_describer(
    Communication._meta.label_lower,
    Describer(
        sentence=_communication,
        ref_label=lambda c: f"{c.get_kind_display()}, sent {uk_date(c.sent_at)}",
        subject=lambda e: shown(e, "kind"),
    ),
)
register_describer(
    Note._meta.label_lower,
    Describer(
        sentence=lambda e, _: Said(
            {"created": "Internal note added", "deleted": "Internal note deleted"}.get(
                e.action, "Internal note changed"
            )
        ),
        subject=lambda e: "Internal note",
    ),
)
register_describer(
    ForwardedPart._meta.label_lower,
    Describer(
        sentence=lambda e, _: Said(
            f"Part of the complaint forwarded to {e.record.to_firm} (DISP 1.7)"
        ),
        subject=lambda e: "Forwarded part",
    ),
)
register_describer(
    Representative._meta.label_lower,
    Describer(
        sentence=lambda e, _: Said(
            (REASONS.get((e.reason or "").split(":")[0]) or f"Representative {e.action}")
            + f": {e.record.name}"
        ),
        ref_label=lambda r: r.display_name,
        subject=lambda e: f"Representative {e.record.name}",
    ),
)
register_describer(
    Firm._meta.label_lower,
    Describer(
        sentence=lambda e, _: Said(
            "Firm settings changed" if e.action == "changed" else f"Firm {e.action}"
        ),
        ref_label=lambda f: f.name,
        subject=lambda e: f"Firm settings of {e.record.name}",
    ),
)
register_describer(
    Membership._meta.label_lower,
    Describer(
        sentence=lambda e, _: None
        if e.reason
        else Said(
            {"created": "Member added", "deleted": "Member removed"}.get(
                e.action, "Membership changed"
            )
        ),
        subject=lambda e: f"Membership of {shown(e, 'user')}",
    ),
)


# --- letters ---------------------------------------------------------------------------------


def _letter(entry: TimelineEntry, _: Any) -> Said | None:
    row = entry.record
    said = default_said(entry)
    kind = shown(entry, "letter_type")
    if entry.reason.startswith("letter.send") or (
        changed(entry, "status") and row.status == "sent"
    ):
        delivery = f"delivery: {shown(entry, 'delivery')}" if row.delivery else ""
        return Said("Letter sent", (kind, delivery))
    if entry.reason.startswith("letter.approve"):
        return Said(said.what, (kind,))
    if entry.reason.startswith("letter.return"):
        return Said(said.what, (kind, f"note: {row.review_note}" if row.review_note else ""))
    if said.what:
        return Said(said.what, (kind,))
    return None


register_describer(
    Letter._meta.label_lower,
    Describer(
        sentence=_letter,
        ref_label=lambda letter: f"{letter.get_letter_type_display()} letter",
        # The rendered HTML and its fingerprint are the letter's machinery: its words are in
        # "Body text"; the content checks are the letters' own page.
        hidden=frozenset({"html", "pdf_sha256", "check_results"}),
        subject=lambda e: f"{shown(e, 'letter_type')} letter",
    ),
)
register_describer(
    LetterDelivery._meta.label_lower,
    Describer(
        sentence=lambda e, _: Said(
            "Letter e-mail" + (" copy" if e.record.is_copy else ""),
            (f"to {e.record.recipient}", shown(e, "status").lower()),
        ),
        subject=lambda e: "Letter e-mail",
    ),
)
register_describer(
    LetterTemplate._meta.label_lower,
    Describer(ref_label=lambda t: f"{t.get_letter_type_display()} template"),
)
register_describer(
    LetterTemplateVersion._meta.label_lower,
    Describer(ref_label=lambda v: f"template version {v.number}"),
)
register_describer(FosLeaflet._meta.label_lower, Describer(ref_label=lambda leaflet: leaflet.label))
