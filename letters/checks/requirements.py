"""What each letter type must say, element by element, with the rule behind each."""

from __future__ import annotations

from complaints.choices import Outcome

from ..choices import LetterType
from ..prescribed import ANNEX_3R_TIME_BARRED
from .dpa import DPA_CHECKS
from .fos import (
    FINAL_FOS,
    NO_REFERRAL_NOW_UNLESS_OPEN,
    NO_SIX_MONTH_WITHOUT_FOS,
    fos_available,
    fos_checks,
    fos_no_consent,
    fos_not_available,
)
from .spec import Check, Facts
from .text import (
    ANNEX_3R_1_OPENING,
    FINAL_RESPONSE,
    FOS_REFERRAL,
    FURTHER_INFO,
    MAY_NOW_REFER,
    SIX_MONTH,
)


def _psd(f: Facts) -> bool:
    return f.is_psd


def _ledger_redress(rule: str) -> Check:
    """DISP 1.4.1R(3): a response that upholds the complaint (fully or partly) or settles it with
    goodwill states the redress the firm has recorded on the complaint's redress ledger: every
    offered, accepted or paid amount, as the letter prints money ("£100.00"). The letter is
    compared with the ledger, not with the handler's own summary."""
    return Check(
        "redress_ledger",
        "The redress recorded on the redress ledger, amount by amount",
        f"DISP 1.4.1R(3); {rule}",
        stated=lambda f: f.redress_amounts,
        applies=lambda f: f.outcome in Outcome.counted_as_upheld() and bool(f.redress_amounts),
    )


_REASONS = ("reasons",)
# The alternative to a final response (a holding response), as an acknowledgement announces it.
_NOT_YET = r"holding response|not (?:yet )?(?:in a position|able) to"

CHECKS: dict[str, list[Check]] = {
    LetterType.ACKNOWLEDGEMENT: [
        Check(
            "early_reassurance",
            "Early reassurance that the complaint was received and is being dealt with",
            "DISP 1.6.1R(1)(a)",
            phrases=(
                r"received your complaint",
                r"dealing with (?:it|your complaint)|looking into (?:it|your complaint)"
                r"|investigating (?:it|your complaint)",
            ),
        ),
        # In force since 1 June 2026 (the Handbook text of DISP 1.6.1R at 01-06-2026): the
        # statement names both kinds of response the complainant may receive, not just the time.
        Check(
            "timetable",
            "Response timetable statement: a written response within eight weeks, either a "
            "final response or a response explaining why one cannot be given yet",
            "DISP 1.6.1R(1)(b)(ii)",
            phrases=(r"within (?:eight|8) weeks", r"final response", _NOT_YET),
            applies=lambda f: not f.is_psd,
        ),
        Check(
            "timetable",
            "Response timetable statement: a final response within 15 business days, or in "
            "exceptional circumstances a holding response within 15 business days and a final "
            "response within 35 business days",
            "DISP 1.6.1R(1)(b)(i)",
            phrases=(
                r"(?:15|fifteen) business days",
                r"(?:35|thirty-five) business days",
                r"final response",
                r"holding response",
            ),
            applies=_psd,
        ),
        Check(
            "complaints_procedure",
            "Summary of the firm's complaints procedure",
            "DISP 1.2.1R(3)",
            phrases=(r"complaints (?:handling )?procedure",),
        ),
        Check(
            "fos_disclosure",
            "That the complainant may be entitled to refer to the FOS",
            "DISP 1.2.3G; CP26/4 para 3.29",
            phrases=(FOS_REFERRAL,),
            applies=fos_available,
        ),
        *fos_not_available(FOS_REFERRAL),
    ],
    LetterType.SUMMARY_RESOLUTION: [
        Check(
            "resolved_statement",
            "Refers to the complaint and says the firm now considers it resolved",
            "DISP 1.5.4R(1)",
            phrases=(
                r"consider (?:your|the|this) complaint (?:to be |to have been |as )?"
                r"resolved|(?:your|the) complaint (?:is|has been) resolved",
            ),
        ),
        *fos_checks(
            referral_rule="DISP 1.5.4R(2)",
            waiver_rule="DISP 1.5.4R(3); DISP 1 Annex 3R",
            website_rule="DISP 1.5.4R(4)",
            leaflet_rule=None,
            six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(1)",
        ),
        Check(
            "fos_further_information",
            "Availability of further information on the FOS website",
            "DISP 1.5.4R(5)",
            phrases=(FURTHER_INFO,),
            applies=fos_available,
        ),
    ],
    LetterType.HOLDING: [
        Check(
            "reasons_for_delay",
            "Why a final response cannot be made yet",
            "DISP 1.6.2R(2)(a)",
            values=_REASONS,
        ),
        Check(
            "expected_date",
            "When the firm expects to send its final response",
            "DISP 1.6.2R(2)(a)",
            values=("expected_final_response_date",),
        ),
        *fos_checks(
            referral_rule="DISP 1.6.2R(2)(b)",
            waiver_rule=None,
            website_rule="DISP 1.6.2R(2)(d)",
            leaflet_rule="DISP 1.6.2R(2)(c)",
            six_month_rule=None,
        ),
    ],
    LetterType.HOLDING_PSD: [
        Check(
            "reasons_for_delay",
            "Clear reasons for the delay",
            "DISP 1.6.2AR(2)(a)",
            values=_REASONS,
        ),
        Check(
            "final_response_deadline",
            "The deadline for the final response (35 business days after receipt)",
            "DISP 1.6.2AR(2)(a)",
            phrases=(r"(?:35|thirty-five) business days",),
            values=("extended_final_response_due",),
        ),
        # CP26/4 para 3.29: where the FOS cannot consider the complaint, the PSD/EMD holding
        # response says so in place of its conditional referral sentence.
        *fos_not_available(FOS_REFERRAL),
    ],
    LetterType.PROGRESS_UPDATE: [
        Check(
            "progress",
            "The progress of the measures being taken to resolve the complaint",
            "DISP 1.6.1R(2)",
            values=_REASONS,
        ),
        Check(
            "no_referral_wording",
            "No referral wording: the Ombudsman may consider the complaint only once eight "
            "weeks have passed or a final response is sent (the holding response says so then)",
            "DISP 2.8.1R(2); DISP 1.6.2R(2)(b)",
            forbidden=(FOS_REFERRAL, MAY_NOW_REFER, SIX_MONTH),
        ),
    ],
    LetterType.FINAL_UPHELD: [
        Check(
            "decision",
            "Accepts the complaint",
            "DISP 1.6.2R(1)(a)",
            phrases=(r"we (?:have )?(?:uphold|upheld|are upholding|accept)",),
        ),
        Check(
            "redress",
            "The redress or remedial action offered",
            "DISP 1.6.2R(1)(a)",
            values=("redress_summary",),
            applies=lambda f: f.has_redress,
        ),
        _ledger_redress("DISP 1.6.2R(1)(a)"),
        Check(
            "reasons",
            "Reasons for the part of the complaint not upheld",
            "DISP 1.4.1R(4); DISP 1.6.2R(1)(c)",
            values=_REASONS,
            applies=lambda f: f.outcome == Outcome.PARTIALLY_UPHELD,
        ),
        *FINAL_FOS,
    ],
    LetterType.FINAL_REDRESS: [
        Check(
            "decision",
            "Offers redress without accepting the complaint",
            "DISP 1.6.2R(1)(b)",
            phrases=(r"without (?:accepting|admitting)",),
        ),
        Check(
            "redress",
            "The redress or remedial action offered",
            "DISP 1.6.2R(1)(b)",
            phrases=(r"our offer|we (?:will|would like to) (?:pay|offer)",),
            applies=lambda f: not f.has_redress,
        ),
        Check(
            "redress",
            "The redress or remedial action offered",
            "DISP 1.6.2R(1)(b)",
            values=("redress_summary",),
            applies=lambda f: f.has_redress,
        ),
        _ledger_redress("DISP 1.6.2R(1)(b)"),
        *FINAL_FOS,
    ],
    LetterType.FINAL_REJECTED: [
        Check(
            "decision",
            "Rejects the complaint",
            "DISP 1.6.2R(1)(c)",
            phrases=(r"(?:do not|don't|cannot|are not able to) uphold|not upheld|reject",),
        ),
        Check(
            "reasons",
            "Reasons for rejecting the complaint",
            "DISP 1.6.2R(1)(c)",
            phrases=(r"our reasons|reasons for (?:our|this) decision",),
        ),
        Check(
            "reasons",
            "Reasons for rejecting the complaint",
            "DISP 1.6.2R(1)(c)",
            values=_REASONS,
            applies=lambda f: f.has_reasons,
        ),
        *FINAL_FOS,
    ],
    LetterType.TIME_BARRED: [
        Check(
            "time_bar_explanation",
            "Explains that the complaint is outside the six-year and three-year limits",
            "DISP 1.8; DISP 2.8.2R(2)",
            phrases=(r"more than (?:six|6) years", r"more than (?:three|3) years"),
        ),
        Check(
            "ombudsman_decides",
            "That whether the time limits apply is for the Ombudsman to "
            "decide (the FOS may still consider it)",
            "DISP 1.8; DISP 1 Annex 3R(2)",
            phrases=(r"matter for the (?:financial )?ombudsman(?: service)? to decide",),
            applies=fos_available,
        ),
        Check(
            "annex_3r_wording",
            "DISP 1 Annex 3R variant (2) wording, word for word (complaint outside the time "
            "limits, no consent to waive them), not variant (1)",
            "DISP 1.6.2R(1)(f); DISP 1 Annex 3R(2)",
            verbatim=(ANNEX_3R_TIME_BARRED,),
            forbidden=(ANNEX_3R_1_OPENING,),
            applies=fos_no_consent,
        ),
        *fos_checks(
            referral_rule="DISP 1.6.2R(1)(e); DISP 1.8",
            waiver_rule="DISP 1.6.2R(1)(f); DISP 1 Annex 3R(2)",
            website_rule="DISP 1.6.2R(1)(da)",
            leaflet_rule="DISP 1.6.2R(1)(d)",
            six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(2)",
            annex_3r_variant_1=False,
        ),
    ],
    LetterType.FORWARDING_NOTICE: [
        Check(
            "forwarded_statement",
            "That the complaint has been forwarded",
            "DISP 1.7",
            phrases=(r"forwarded (?:the whole of |part of |the rest of )?your complaint",),
        ),
        Check("forward_reason", "Why the complaint was forwarded", "DISP 1.7", values=_REASONS),
        Check(
            "other_firm_contact",
            "The other firm's name and contact details",
            "DISP 1.7",
            values=("other_firm_name", "other_firm_contact"),
        ),
        Check(
            "remaining_part",
            "That the firm will still deal with the part it kept",
            "DISP 1.7; DISP 1.4.1R",
            phrases=(r"continue to deal with|still deal with|remain responsible",),
            applies=lambda f: f.partial_forward,
        ),
        # DISP 1.7.1R(2): the complainant is told "in a final response", so the notice carries
        # what every final response carries (DISP 1.6.2R(1)(d)-(f)).
        Check(
            "final_response_statement",
            "That the notice is the firm's final response",
            "DISP 1.7.1R(2)",
            phrases=(FINAL_RESPONSE,),
        ),
        *fos_checks(
            referral_rule="DISP 1.7.1R(2); DISP 1.6.2R(1)(e)",
            waiver_rule="DISP 1.7.1R(2); DISP 1.6.2R(1)(f); DISP 1 Annex 3R",
            website_rule="DISP 1.7.1R(2); DISP 1.6.2R(1)(da)",
            leaflet_rule="DISP 1.7.1R(2); DISP 1.6.2R(1)(d)",
            six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(1)",
        ),
    ],
    LetterType.FORWARDING_COVER: [
        Check(
            "forwarded_statement",
            "That the complaint is forwarded under DISP 1.7",
            "DISP 1.7",
            phrases=(
                r"forward\w* (?:the |this |part of the |part of this )?"
                r"complaint",
            ),
        ),
        Check(
            "complaint_details",
            "The complainant and what they complain about",
            "DISP 1.7",
            values=("complainant_name", "complaint_description"),
        ),
        Check(
            "forward_reason",
            "Why the other firm is responsible",
            "DISP 1.7; DISP 1.4.1R(2)(d)",
            values=_REASONS,
        ),
    ],
    **DPA_CHECKS,
}


def checks_for(facts: Facts) -> list[Check]:
    """The checks that apply to this letter: its type's, and those every letter shares (no
    six-month limit and no "you may now refer" where the Ombudsman cannot consider the
    complaint on the day it is sent)."""
    shared = (NO_SIX_MONTH_WITHOUT_FOS, NO_REFERRAL_NOW_UNLESS_OPEN)
    return [c for c in (*CHECKS[facts.letter_type], *shared) if c.applies(facts)]
