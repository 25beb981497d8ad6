"""Mandatory-content checks: what DISP requires each letter to say, tested on the rendered text.

Each letter type declares its required elements with the rule behind them. A check looks for
robust phrases (regular expressions over normalised text, so quotes, dashes, case and line
breaks do not matter) and, where the element is the handler's own input (reasons, redress, a
date, the other firm's details), for that value itself. Template names and merge fields are
never trusted: only what the complainant would read counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from html import unescape
from html.parser import HTMLParser

from complaints.choices import Outcome

from .choices import LetterType


@dataclass(frozen=True)
class Facts:
    """What a letter must say depends on these facts about it."""

    letter_type: str
    fos_available: bool = True
    consents_to_waive: bool = False
    is_psd: bool = False
    outcome: str = ""
    has_redress: bool = False
    has_reasons: bool = False
    partial_forward: bool = False


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    rule: str
    phrases: tuple[str, ...] = ()  # every pattern must match (alternatives inside with |)
    values: tuple[str, ...] = ()  # these merge values must be non-empty and appear verbatim
    forbidden: tuple[str, ...] = ()  # none of these patterns may match
    applies: Callable[[Facts], bool] = field(default=lambda f: True)


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    rule: str
    passed: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


# --- normalisation ------------------------------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text).translate(_TRANSLATE)).strip().lower()


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "tr", "section", "header", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    return "".join(parser.parts)


# --- phrases -------------------------------------------------------------------------------

FOS_REFERRAL = (
    r"refer (?:your|the|this) complaint to the financial ombudsman service"
    r"|refer (?:it|the matter) to the financial ombudsman service"
)
SIX_MONTH = (
    r"within (?:six|6) months of the date of (?:this|our) (?:letter|final response|response)"
)
NO_CONSENT = r"will not have our permission to consider your complaint"
CONSENT = (
    r"we (?:consent|agree) to the (?:financial )?ombudsman(?: service)? considering your complaint"
)
FOS_WEBSITE = r"(?:www\.|https?://)financial-ombudsman\.org\.uk"
LEAFLET = r"enclos\w*[^.]{0,120}leaflet|leaflet[^.]{0,120}enclos"
FURTHER_INFO = r"(?:further|more) information (?:about|on) the financial ombudsman service"
NOT_AVAILABLE = (
    r"financial ombudsman service is not (?:able to consider|available)"
    r"|financial ombudsman service cannot consider"
)


def has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def has_six_month_wording(text: str) -> bool:
    """DISP 2.8.3G: does the (normalised) letter tell the complainant about the six-month limit?"""
    return has(SIX_MONTH, text)


# --- the checks ----------------------------------------------------------------------------


def _fos(f: Facts) -> bool:
    return f.fos_available


def _fos_no_consent(f: Facts) -> bool:
    return f.fos_available and not f.consents_to_waive


def _fos_consent(f: Facts) -> bool:
    return f.fos_available and f.consents_to_waive


def fos_checks(
    *,
    referral_rule: str,
    waiver_rule: str | None,
    website_rule: str | None,
    leaflet_rule: str | None,
    six_month_rule: str | None,
) -> list[Check]:
    """The FOS block most letters carry, or (no UK establishment) the statement that the FOS is
    not available, with no referral wording that would mislead."""
    checks = [
        Check(
            "fos_referral_right",
            "Right to refer to the Financial Ombudsman Service",
            referral_rule,
            phrases=(FOS_REFERRAL,),
            applies=_fos,
        ),
    ]
    if six_month_rule:
        checks.append(
            Check(
                "six_month_wording",
                "Six-month time limit for referral (Annex 3R wording)",
                six_month_rule,
                phrases=(SIX_MONTH,),
                applies=_fos_no_consent,
            )
        )
    if waiver_rule:
        checks += [
            Check(
                "waiver_statement",
                "Statement that the firm does not consent to waive the "
                "time limits (DISP 1 Annex 3R)",
                waiver_rule,
                phrases=(NO_CONSENT,),
                forbidden=(CONSENT,),
                applies=_fos_no_consent,
            ),
            Check(
                "waiver_statement",
                "Statement that the firm consents to waive the time limits (DISP 1 Annex 3R)",
                waiver_rule,
                phrases=(CONSENT,),
                forbidden=(NO_CONSENT, SIX_MONTH),
                applies=_fos_consent,
            ),
        ]
    if website_rule:
        checks.append(
            Check(
                "fos_website",
                "Financial Ombudsman Service website address",
                website_rule,
                phrases=(FOS_WEBSITE,),
                applies=_fos,
            )
        )
    if leaflet_rule:
        checks.append(
            Check(
                "fos_leaflet",
                "Enclosure of the FOS standard explanatory leaflet",
                leaflet_rule,
                phrases=(LEAFLET,),
                applies=_fos,
            )
        )
    checks.append(
        Check(
            "fos_not_available",
            "Clear statement that the Financial Ombudsman Service is "
            "not available (activity not carried on from a UK establishment)",
            "CP26/4 para 3.29; DISP 2.6.1R",
            phrases=(NOT_AVAILABLE,),
            forbidden=(FOS_REFERRAL, SIX_MONTH),
            applies=lambda f: not f.fos_available,
        )
    )
    return checks


def _psd(f: Facts) -> bool:
    return f.is_psd


FINAL_FOS = fos_checks(
    referral_rule="DISP 1.6.2R(1)(e)",
    waiver_rule="DISP 1.6.2R(1)(f); DISP 1 Annex 3R",
    website_rule="DISP 1.6.2R(1)(da)",
    leaflet_rule="DISP 1.6.2R(1)(d)",
    six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(1)",
)
_REASONS = ("reasons",)

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
        Check(
            "timetable",
            "Response timetable: a written response within eight weeks",
            "DISP 1.6.1R(1)(b)(ii)",
            phrases=(r"within (?:eight|8) weeks",),
            applies=lambda f: not f.is_psd,
        ),
        Check(
            "timetable",
            "Response timetable: final response within 15 business days, or a "
            "holding response and a final response within 35 business days",
            "DISP 1.6.1R(1)(b)(i)",
            phrases=(r"(?:15|fifteen) business days", r"(?:35|thirty-five) business days"),
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
            applies=_fos,
        ),
        Check(
            "fos_not_available",
            "Clear statement that the Financial Ombudsman Service is "
            "not available (activity not carried on from a UK establishment)",
            "CP26/4 para 3.29; DISP 2.6.1R",
            phrases=(NOT_AVAILABLE,),
            forbidden=(FOS_REFERRAL,),
            applies=lambda f: not f.fos_available,
        ),
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
            applies=_fos,
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
            applies=_fos,
        ),
        *fos_checks(
            referral_rule="DISP 1.6.2R(1)(e); DISP 1.8",
            waiver_rule="DISP 1.6.2R(1)(f); DISP 1 Annex 3R(2)",
            website_rule="DISP 1.6.2R(1)(da)",
            leaflet_rule="DISP 1.6.2R(1)(d)",
            six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(2)",
        ),
    ],
    LetterType.FORWARDING_NOTICE: [
        Check(
            "forwarded_statement",
            "That the complaint has been forwarded",
            "DISP 1.7",
            phrases=(r"forwarded (?:the whole of |part of )?your complaint",),
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
}


def checks_for(facts: Facts) -> list[Check]:
    return [c for c in CHECKS[facts.letter_type] if c.applies(facts)]


def _value_present(value: str, text: str) -> bool:
    needle = normalise(value)
    return bool(needle) and needle in text


def run_checks(
    facts: Facts, html: str, values: dict[str, str], checks: Iterable[Check] | None = None
) -> list[CheckResult]:
    """Run every applicable check on the rendered letter ``html``."""
    text = normalise(html_to_text(html))
    results = []
    for check in checks if checks is not None else checks_for(facts):
        missing = [p for p in check.phrases if not has(p, text)]
        empty = [v for v in check.values if not normalise(values.get(v, "") or "")]
        absent = [v for v in check.values if v not in empty and not _value_present(values[v], text)]
        present_forbidden = [p for p in check.forbidden if has(p, text)]
        detail = ""
        if empty:
            detail = f"No {', '.join(e.replace('_', ' ') for e in empty)} given."
        elif missing or absent:
            detail = "Not found in the letter."
        elif present_forbidden:
            detail = "The letter also contains contradictory wording."
        passed = not (missing or empty or absent or present_forbidden)
        previous = next((r for r in results if r.key == check.key), None)
        if previous is None:
            results.append(CheckResult(check.key, check.label, check.rule, passed, detail))
        elif previous.passed and not passed:
            # One element, several ways to check it: report it once, failed if any part failed.
            results[results.index(previous)] = CheckResult(
                check.key, check.label, check.rule, False, detail
            )
    return results


def six_month_wording_in(html: str) -> bool:
    return has_six_month_wording(normalise(html_to_text(html)))
