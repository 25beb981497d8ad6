"""The use cases recorded as history reasons, in words ("complaint.final_response" → "Final
response sent"). A reason not listed is never shown as its code: the describer names the record
and what happened to it instead ("Referral changed"). Apps above word their own use cases through
``register_reasons``."""

from __future__ import annotations

# What a use case did, said of the record it changed.
REASONS = {
    "complaint.register": "Complaint logged",
    "complaint.acknowledge": "Acknowledgement sent",
    "complaint.start_investigation": "Investigation started",
    "complaint.record_event_date": "Event date recorded",
    "complaint.resolve_summary": "Resolved by summary resolution communication (SRC)",
    "complaint.holding_response": "Holding response sent",
    "complaint.progress_update": "Progress update sent",
    "complaint.final_response": "Final response sent",
    "complaint.reject_time_barred": "Rejected as time-barred (DISP 1.8)",
    "complaint.forward": "Forwarded to another firm (DISP 1.7)",
    "complaint.forward_part": "Part of the complaint forwarded to another firm (DISP 1.7)",
    "complaint.withdraw": "Withdrawal recorded",
    "complaint.close": "Complaint closed",
    "complaint.reopen": "Complaint reopened",
    "complaint.assign": "Owner changed",
    "complaint.recompute_deadlines": "Deadlines recomputed",
    "complaint.note": "Internal note added",
    "complaint.vulnerability": "Vulnerability flags recorded",
    "complainant.create": "Complainant recorded",
    "complainant.vulnerability": "Vulnerability and support needs recorded",
    "complainant.adjustments": "Reasonable adjustments recorded",
    "retention.anonymise": "Personal data anonymised at the end of its retention period",
    "representative.add": "Representative added",
    "representative.authority": "Representative's authority recorded",
    "representative.end": "Representative's authority ended",
    "membership.two_factor_reset": "Two-factor sign-in reset",
    "letter.generate": "Letter drafted",
    "letter.draft": "Letter drafted",
    "letter.edit": "Letter edited",
    "letter.submit": "Letter submitted for approval",
    "letter.approve": "Letter approved",
    "letter.return": "Letter returned to its drafter",
    "letter.discard": "Letter discarded",
    "letter.send": "Letter sent",
    "letter.delivery": "Letter delivery recorded",
    "letter.email.skipped": "Letter e-mail not sent",
    "letter_template.create": "Letter template created",
    "letter_template.version": "Letter template version saved",
    "letter_policy.set": "Letter approval policy set",
    "fos_leaflet.upload": "Financial Ombudsman leaflet uploaded",
    "sar.record": "Subject access request recorded",
    "sar.identity_received": "Proof of identity received",
    "sar.extend": "Subject access deadline extended",
    "sar.answer": "Subject access request answered",
    "sar.clarification_ask": "Clarification of the request asked for",
    "sar.clarification_received": "Clarification of the request received",
    "dpa_complaint.record": "Data-protection complaint recorded",
    "dpa_complaint.acknowledge": "Data-protection complaint acknowledged",
    "dpa_complaint.progress": "Data-protection complaint progress sent",
    "dpa_complaint.outcome": "Data-protection complaint outcome sent",
    "calendar.add_bank_holiday": "Bank holiday added",
    "calendar.move_bank_holiday": "Bank holiday moved",
    "import.commit": "Complaints register import committed",
    "import.preview": "Complaints register import previewed",
    "import.reject": "Complaints register import rejected",
}


def register_reasons(reasons: dict[str, str]) -> None:
    """An app above words its own use cases (``fos.log`` → "FOS referral logged")."""
    REASONS.update(reasons)


def reason_parts(reason: str | None) -> tuple[str, str]:
    """``complaint.recompute_deadlines: bank holiday added`` → ("Deadlines recomputed", "bank
    holiday added"); ("", "") for a reason with no words (the describer names the record)."""
    if not reason:
        return "", ""
    head, _, tail = reason.partition(":")
    text = REASONS.get(head.strip(), "")
    if head.strip().startswith("firm.") and not text:
        text = "Firm settings changed"
    return (text, tail.strip()) if text else ("", "")


def reason_words(reason: str | None) -> str:
    """The reason as one phrase: "Deadlines recomputed: bank holiday added"."""
    text, tail = reason_parts(reason)
    return f"{text}: {tail}" if tail else text
