"""The FOS records in words for the audit trail (``complaints.selectors.describe``)."""

from __future__ import annotations

from typing import Any

from common.dates import uk_date
from complaints.selectors.describe import Describer, Said, default_said, register_describer, shown
from complaints.selectors.reasons import register_reasons

from .guards import ACTIONS
from .models import FosDeadline, Referral, ReferralStage


def _referral(entry: Any, _: Any) -> Said:
    row = entry.record
    reason = (entry.reason or "").split(":")[0].strip()
    if reason == "fos.log":
        return Said("FOS referral logged", (f"referred {uk_date(row.referred_on)}",))
    if reason == "fos.record_award" and row.award_amount is not None:
        return Said("FOS award recorded", (shown(entry, "award_amount"),))
    said = default_said(entry)
    return Said(said.what, (f"on {uk_date(row.stage_entered_on)}",) if reason in _STAGES else ())


_STAGES = {f"fos.{name}" for name in ACTIONS}


def register() -> None:
    register_reasons(
        {
            **{f"fos.{spec.name}": f"FOS referral: {spec.label}" for spec in ACTIONS.values()},
            "fos.log": "FOS referral logged",
            "fos.set_reference": "FOS case reference recorded",
            "fos.set_chargeable_date": "FOS chargeable date recorded",
            "fos.record_award": "FOS award recorded",
            "fos.recompute_checklist": "FOS jurisdiction checklist rechecked",
            "fos.consent_to_waive_time_limits": "Consent to the FOS waiving the time limits "
            "recorded (DISP 2.8.2AR)",
            "fos.deadline_add": "FOS deadline added",
            "fos.deadline_done": "FOS deadline met",
            "fos.deadline_closed": "FOS deadline closed",
        }
    )
    register_describer(
        Referral._meta.label_lower,
        Describer(
            sentence=_referral,
            ref_label=lambda r: f"FOS referral {r.fos_reference}"
            if r.fos_reference
            else "the FOS referral",
            # The checklist's answers are the referral page's; its result is kept here.
            hidden=frozenset({"checklist", "checklist_computed_at"}),
            subject=lambda e: "FOS referral"
            + (f" {e.record.fos_reference}" if e.record.fos_reference else ""),
        ),
    )
    register_describer(
        ReferralStage._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(
                f"FOS stage recorded: {shown(e, 'stage')}", (f"on {uk_date(e.record.entered_on)}",)
            ),
            subject=lambda e: "FOS stage",
            hidden=frozenset({"action"}),
        ),
    )
    register_describer(
        FosDeadline._meta.label_lower,
        Describer(
            sentence=lambda e, _: Said(
                default_said(e).what, (e.record.description, f"due {uk_date(e.record.due_on)}")
            ),
            subject=lambda e: "FOS deadline",
        ),
    )
