"""The redress ledger, root causes, incidents and actions in words for the audit trail
(``complaints.selectors.describe``)."""

from __future__ import annotations

from typing import Any

from complaints.selectors.describe import Describer, Said, default_said, register_describer, shown
from complaints.selectors.reasons import register_reasons

from .models import (
    ComplaintRootCause,
    Incident,
    IncidentLink,
    NoRedressDecision,
    RedressItem,
    RemediationAction,
    RootCause,
)


def _redress(entry: Any, _: Any) -> Said:
    row = entry.record
    kind = shown(entry, "kind")
    amount = shown(entry, "amount_gbp") if row.amount_gbp is not None else ""
    said = default_said(entry)
    details: tuple[str, ...] = (kind.lower(), amount)
    if entry.reason.startswith("redress.pay") and row.payment_reference:
        details = (*details, f"payment reference {row.payment_reference}")
    return Said(said.what, details)


def register() -> None:
    register_reasons(
        {
            "redress.offer": "Redress offered",
            "redress.accept": "Redress accepted",
            "redress.decline": "Redress declined",
            "redress.pay": "Redress paid",
            "redress.none_appropriate": "Decided that no redress is appropriate",
            "root_cause.assign": "Root cause assigned",
            "root_cause.remove": "Root cause removed",
            "root_cause.create": "Root cause created",
            "root_cause.update": "Root cause changed",
            "incident.create": "Incident recorded",
            "incident.update": "Incident changed",
            "incident.delete": "Incident deleted",
            "incident.link": "Complaint linked to an incident",
            "incident.unlink": "Complaint unlinked from an incident",
            "action.create": "Remediation action recorded",
        }
    )
    register_describer(
        RedressItem._meta.label_lower,
        Describer(sentence=_redress, subject=lambda e: f"Redress: {shown(e, 'kind').lower()}"),
    )
    register_describer(
        NoRedressDecision._meta.label_lower,
        Describer(subject=lambda e: "No-redress decision"),
    )
    register_describer(
        ComplaintRootCause._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(default_said(e).what, (shown(e, "root_cause"),)),
            subject=lambda e: "Root cause",
        ),
    )
    register_describer(
        IncidentLink._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(default_said(e).what, (shown(e, "incident"),)),
            subject=lambda e: "Incident link",
        ),
    )
    register_describer(RootCause._meta.label_lower, Describer(ref_label=lambda r: r.name))
    register_describer(Incident._meta.label_lower, Describer(ref_label=lambda i: i.name))
    register_describer(
        RemediationAction._meta.label_lower,
        Describer(
            sentence=lambda e, _: None
            if e.reason in ("", "action.create")
            else Said(f"Remediation action: {shown(e, 'status').lower()}", (e.record.title,)),
            ref_label=lambda a: a.title,
        ),
    )
