"""Whether a FOS stage action is allowed now, and why not.

Services call ``check``; the UI and API call ``available_actions`` to show each action enabled
or disabled with its reason. The state machine says which stage an action leaves from; these
guards add the rules (DISP 3.2.2R, FSMA s.228) and the order of dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django_fsm import can_proceed

from common.dates import london_date, uk_date
from common.errors import Refusal

from .choices import EndKind, FosOutcome, Stage
from .errors import FosErrorCode
from .models import Referral

Guard = Callable[[Referral, date, dict], Refusal | None]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    help: str
    fields: tuple[str, ...]
    guard: Guard | None = None
    primary: bool = True


def firm_had_its_time(referral: Referral, on: date) -> bool:
    """DISP 2.8.1R(1)-(2): a final response/SRC was sent, or the firm's time ran out, by ``on``."""
    c = referral.complaint
    sent = c.final_response_sent_at or c.src_sent_at
    if sent is not None and london_date(sent) <= on:
        return True
    return on >= c.fos_referral_open_from


def _refer_back(r: Referral, on: date, params: dict) -> Refusal | None:
    if firm_had_its_time(r, r.referred_on):
        return Refusal(
            FosErrorCode.FIRM_HAS_NOT_HAD_ITS_TIME,
            "The firm had already sent its final response or had its eight weeks when the "
            "case was referred, so the FOS has no reason to refer it back.",
            "DISP 3.2.2R",
        )
    return None


def _resume(r: Referral, on: date, params: dict) -> Refusal | None:
    if not firm_had_its_time(r, on):
        return Refusal(
            FosErrorCode.FIRM_HAS_NOT_HAD_ITS_TIME,
            f"The firm still has until {uk_date(r.complaint.final_response_due)} to respond "
            "and has sent no final response: the FOS cannot take the case back yet.",
            "DISP 2.8.1R; DISP 3.2.2R",
        )
    others = r.complaint.fos_referrals.exclude(pk=r.pk).filter(stage__in=Stage.active())
    if others.exists():
        return Refusal(
            FosErrorCode.ALREADY_REFERRED,
            "Another FOS referral of this complaint is open.",
            state_conflict=True,
        )
    return None


def _outcome(r: Referral, on: date, params: dict) -> Refusal | None:
    if params.get("outcome") not in FosOutcome.values:
        return Refusal(
            FosErrorCode.OUTCOME_REQUIRED,
            "Record the outcome: upheld, partly upheld or not upheld.",
        )
    return None


def _final_decision(r: Referral, on: date, params: dict) -> Refusal | None:
    if refusal := _outcome(r, on, params):
        return refusal
    deadline = params.get("acceptance_deadline")
    if deadline is None or deadline <= on:
        return Refusal(
            FosErrorCode.VALIDATION,
            "A final decision gives the date by which the complainant must accept or reject it; "
            "it must be after the decision date.",
            "FSMA s.228(4)(c)",
        )
    return None


def _accept_decision(r: Referral, on: date, params: dict) -> Refusal | None:
    if r.acceptance_deadline and on > r.acceptance_deadline:
        return Refusal(
            FosErrorCode.ACCEPTANCE_DEADLINE_PASSED,
            f"The complainant had to accept by {uk_date(r.acceptance_deadline)}; with no "
            "acceptance by then the decision is treated as rejected. Record it as lapsed.",
            "FSMA s.228(6)",
        )
    return None


def _end(r: Referral, on: date, params: dict) -> Refusal | None:
    kind = params.get("kind")
    if kind not in EndKind.values:
        return Refusal(
            FosErrorCode.VALIDATION,
            "Say how the case ended: rejected, lapsed or withdrawn/closed without a decision.",
        )
    if kind in (EndKind.REJECTED, EndKind.LAPSED) and r.stage != Stage.FINAL_DECISION:
        return Refusal(
            FosErrorCode.INVALID_STAGE,
            "Only an ombudsman's final decision can be rejected or lapse.",
            "FSMA s.228(4)-(6)",
            state_conflict=True,
        )
    if kind == EndKind.LAPSED and r.acceptance_deadline and on <= r.acceptance_deadline:
        return Refusal(
            FosErrorCode.ACCEPTANCE_DEADLINE_NOT_PASSED,
            f"The complainant has until {uk_date(r.acceptance_deadline)} to accept: the "
            "decision cannot lapse before then.",
            "FSMA s.228(6)",
        )
    return None


def _compliance(r: Referral, on: date, params: dict) -> Refusal | None:
    if not r.requires_compliance:
        return Refusal(
            FosErrorCode.NOTHING_TO_COMPLY_WITH,
            "The accepted outcome is not upheld and awards nothing: there is nothing to comply "
            "with.",
        )
    if "amount_paid" not in params:  # the page asking what is allowed, before any input
        return None
    shortfall = r.award_shortfall(params.get("amount_paid"))
    if shortfall and not params.get("shortfall_reason"):
        # FSMA s.229(5): the part above the limit is only a recommendation, so not paying it
        # can be right; the reason is still recorded.
        excess = r.award_recommended_excess
        recommended = (
            f" (£{excess:,.2f} of it is only a recommendation above the award limit, FSMA s.229(5))"
            if excess
            else ""
        )
        return Refusal(
            FosErrorCode.SHORTFALL_REASON_REQUIRED,
            f"£{shortfall:,.2f} less than the award of £{r.award_amount:,.2f} was paid"
            f"{recommended}: give the reason, or record the full amount paid.",
            "DISP 3.7 / FSMA s.229",
            fields={"shortfall_reason": ["Say why less than the award was paid."]},
        )
    return None


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec(
            "pre_register",
            "Pre-registration",
            "The FOS is checking the case is ready (CP26/9).",
            ("on",),
        ),
        ActionSpec(
            "refer_back",
            "Referred back to the firm",
            "The firm has not had its eight weeks (DISP 3.2.2R).",
            ("on",),
            _refer_back,
        ),
        ActionSpec(
            "resume",
            "Returned to the FOS",
            "The complainant brought the case back after the firm had its time.",
            ("on",),
            _resume,
        ),
        ActionSpec(
            "start_jurisdiction_review",
            "Jurisdiction check",
            "The FOS is checking it can consider the complaint.",
            ("on",),
        ),
        ActionSpec(
            "start_investigation",
            "Investigation started",
            "The case is with an investigator (chargeable from this date unless set).",
            ("on",),
        ),
        ActionSpec(
            "issue_view",
            "Investigator's view issued",
            "Record the investigator's outcome and when the firm must respond.",
            ("on", "outcome", "response_due"),
            _outcome,
        ),
        ActionSpec(
            "accept_view",
            "View accepted by both",
            "Both parties accepted the investigator's view.",
            ("on",),
        ),
        ActionSpec(
            "dispute_view",
            "View disputed",
            "A party asked for an ombudsman's decision.",
            ("on",),
        ),
        ActionSpec(
            "issue_provisional_decision",
            "Provisional decision",
            "The ombudsman invites comments before deciding.",
            ("on", "outcome"),
            _outcome,
        ),
        ActionSpec(
            "issue_final_decision",
            "Final decision",
            "The ombudsman's determination and the complainant's acceptance deadline.",
            ("on", "outcome", "acceptance_deadline"),
            _final_decision,
        ),
        ActionSpec(
            "accept_decision",
            "Decision accepted",
            "The complainant accepted: binding on the firm (FSMA s.228(5)).",
            ("on",),
            _accept_decision,
        ),
        ActionSpec(
            "end",
            "Rejected, lapsed or closed",
            "The case ended without an accepted outcome.",
            ("on", "kind"),
            _end,
            primary=False,
        ),
        ActionSpec(
            "record_compliance",
            "Complied",
            "The firm paid the award and carried out any directions; paying less than the award "
            "needs the reason.",
            ("on", "amount_paid", "shortfall_reason"),
            _compliance,
        ),
    )
}


def refusal_for(referral: Referral, action: str, on: date, params: dict) -> Refusal | None:
    spec = ACTIONS[action]
    if not can_proceed(getattr(referral, action)):
        return Refusal(
            FosErrorCode.INVALID_STAGE,
            f"“{spec.label}” is not possible at the stage “{referral.get_stage_display()}”.",
            state_conflict=True,
        )
    if on < referral.stage_entered_on:
        return Refusal(
            FosErrorCode.DATE_OUT_OF_ORDER,
            f"The date must not be before the current stage began "
            f"({uk_date(referral.stage_entered_on)}).",
        )
    return spec.guard(referral, on, params) if spec.guard else None


def check(referral: Referral, action: str, on: date, params: dict) -> None:
    if refusal := refusal_for(referral, action, on, params):
        raise refusal.error(stage=referral.stage, version=referral.version)


@dataclass(frozen=True)
class AvailableAction:
    spec: ActionSpec
    refusal: Refusal | None


def available_actions(referral: Referral, today: date) -> list[AvailableAction]:
    """The actions possible from the current stage, each with its refusal (if any) as of today.

    Guards that depend on the user's input (outcome, deadline, kind) are checked on submit.
    """
    out = []
    for spec in ACTIONS.values():
        if not can_proceed(getattr(referral, spec.name)):
            continue
        refusal = None
        if spec.guard is not None and spec.name in (
            "refer_back",
            "resume",
            "record_compliance",
            "accept_decision",
        ):
            refusal = spec.guard(referral, max(today, referral.stage_entered_on), {})
        out.append(AvailableAction(spec, refusal))
    return out
