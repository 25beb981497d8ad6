"""SUP 16.34 returns and client position snapshots in words for the audit trail
(``complaints.selectors.describe``)."""

from __future__ import annotations

from typing import Any

from common.dates import uk_date
from complaints.selectors.describe import (
    Describer,
    Said,
    capfirst,
    default_said,
    register_describer,
    shown,
)
from complaints.selectors.reasons import register_reasons

from .models import ClientPositionSnapshot, ImportRejection, ReturnVersion, Sup16Return


def _period(filing: Any) -> str:
    return f"the return for the period ending {uk_date(filing.period_end)}"


def _version(entry: Any, _: Any) -> Said:
    return Said(
        default_said(entry).what,
        (f"version {entry.record.number} of {shown(entry, 'sup16_return')}",),
    )


def register() -> None:
    register_reasons(
        {
            "return.create": "Return opened",
            "return.compute": "Return computed",
            "return.approve": "Return approved",
            "return.submit": "Return submitted to the FCA",
            "return.recompute_due_date": "Return due date recomputed",
            "snapshot.import": "Client position snapshot loaded",
            "snapshot.declare_nil": "Nil client position declared",
            "snapshot.import_rejected": "Client position file rejected",
        }
    )
    register_describer(
        Sup16Return._meta.label_lower,
        Describer(ref_label=_period, subject=lambda e: capfirst(_period(e.record))),
    )
    register_describer(
        ReturnVersion._meta.label_lower,
        Describer(
            sentence=_version,
            ref_label=lambda v: f"version {v.number} ({v.get_status_display().lower()})",
            # What changed against the previous version is the return page's comparison.
            hidden=frozenset({"changes", "compute_seconds", "calendar_version"}),
            subject=lambda e: f"Return version {e.record.number}",
        ),
    )
    register_describer(
        ClientPositionSnapshot._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(default_said(e).what, (f"as at {uk_date(e.record.as_at)}",)),
            ref_label=lambda s: f"client position snapshot as at {uk_date(s.as_at)}",
            hidden=frozenset({"load_seconds"}),
        ),
    )
    register_describer(
        ImportRejection._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(default_said(e).what, (f"as at {uk_date(e.record.as_at)}",)),
        ),
    )
