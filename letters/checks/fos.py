"""The Financial Ombudsman Service block most letters carry: the right to refer, the six-month
limit, the time-limit waiver (DISP 1 Annex 3R), the website and leaflet; or, where the FOS
cannot consider the complaint (no UK establishment, an act before the regime began, or an
unknown event date the firm words as "may not"), the statement that says so."""

from __future__ import annotations

from collections.abc import Callable

from ..prescribed import ANNEX_3R_NO_CONSENT
from .spec import Check, Facts
from .text import (
    BEFORE_REGIME,
    CONSENT,
    FOS_REFERRAL,
    FOS_WEBSITE,
    LEAFLET,
    MAY_NOT_CONSIDER,
    MAY_NOW_REFER,
    NO_CONSENT,
    NOT_AVAILABLE,
    OWN_PROCEDURE,
    SIX_MONTH,
    SIX_MONTH_LIMIT,
)


def fos_available(f: Facts) -> bool:
    return f.fos_available


def fos_no_consent(f: Facts) -> bool:
    return f.fos_available and not f.consents_to_waive


def _fos_consent(f: Facts) -> bool:
    return f.fos_available and f.consents_to_waive


def _welsh_no_consent(f: Facts) -> bool:
    return fos_no_consent(f) and f.language == "cy"


LEAFLET_MISSING = (
    "The letter says the leaflet is enclosed, but no FOS leaflet is on file to go with it: a "
    "firm administrator uploads the FOS's current leaflet under Letter templates, FOS leaflet."
)


def leaflet_goes_with_it(f: Facts) -> str:
    """The wording says "enclosed": a fact about the delivery, so the leaflet must go with it."""
    return "" if f.leaflet_enclosed else LEAFLET_MISSING


def _unavailable_because(basis: str) -> Callable[[Facts], bool]:
    def applies(f: Facts) -> bool:
        return not f.fos_available and (f.fos_unavailable_because or NO_UK) == basis

    return applies


NO_UK, BEFORE_COMMENCEMENT, EVENT_UNKNOWN = (
    "no_uk_establishment",
    "before_commencement",
    "event_date_unknown",
)


def fos_not_available(*forbidden: str) -> list[Check]:
    """Where the FOS cannot consider the complaint, the statement that says so for the reason
    that applies, and none of the ``forbidden`` wording that would say otherwise: no UK
    establishment (CP26/4 paras 3.27, 3.29); an act or omission before the regime began, with
    the firm's own procedure still applying (CP26/4 paras 3.24, 3.29); an unknown event date
    where the firm says the FOS may not be able to consider it (its setting)."""
    return [
        Check(
            "fos_not_available",
            "Clear statement that the Financial Ombudsman Service is "
            "not available (activity not carried on from a UK establishment)",
            "CP26/4 para 3.29; DISP 2.6.1R",
            phrases=(NOT_AVAILABLE,),
            forbidden=forbidden,
            applies=_unavailable_because(NO_UK),
        ),
        Check(
            "fos_not_available",
            "Plain statement that the Financial Ombudsman Service cannot consider the "
            "complaint because the act or omission happened before the regime began, and that "
            "the firm's own complaints procedure still applies",
            "CP26/4 paras 3.24 and 3.29",
            phrases=(NOT_AVAILABLE, BEFORE_REGIME, OWN_PROCEDURE),
            forbidden=forbidden,
            applies=_unavailable_because(BEFORE_COMMENCEMENT),
        ),
        Check(
            "fos_not_available",
            "Statement that the Financial Ombudsman Service may not be able to consider the "
            "complaint (event date unknown; the firm's chosen wording), and that the firm's own "
            "complaints procedure still applies",
            "CP26/4 paras 3.24 and 3.29",
            phrases=(MAY_NOT_CONSIDER, OWN_PROCEDURE),
            forbidden=forbidden,
            applies=_unavailable_because(EVENT_UNKNOWN),
        ),
    ]


def fos_checks(
    *,
    referral_rule: str,
    waiver_rule: str | None,
    website_rule: str | None,
    leaflet_rule: str | None,
    six_month_rule: str | None,
    annex_3r_variant_1: bool = True,
) -> list[Check]:
    """The FOS block most letters carry, or (no UK establishment) the statement that the FOS is
    not available, with no referral wording that would mislead."""
    checks = [
        Check(
            "fos_referral_right",
            "Right to refer to the Financial Ombudsman Service",
            referral_rule,
            phrases=(FOS_REFERRAL,),
            applies=fos_available,
        ),
    ]
    if six_month_rule:
        checks.append(
            Check(
                "six_month_wording",
                "Six-month time limit for referral (Annex 3R wording)",
                six_month_rule,
                phrases=(SIX_MONTH,),
                applies=fos_no_consent,
            )
        )
    if six_month_rule and annex_3r_variant_1:
        # No official Welsh text of DISP 1 Annex 3R exists (docs/letters.md, "Letters in
        # Welsh"): a Welsh letter prints the English prescribed wording word for word. (The
        # time-barred rejection's variant (2) is checked word for word in any language.)
        checks.append(
            Check(
                "annex_3r_english",
                "DISP 1 Annex 3R variant (1) in English, word for word (the prescribed wording "
                "has no official Welsh text)",
                "DISP 1.6.2R(1)(f); DISP 1 Annex 3R(1)",
                verbatim=(ANNEX_3R_NO_CONSENT,),
                applies=_welsh_no_consent,
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
                applies=fos_no_consent,
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
                applies=fos_available,
            )
        )
    if leaflet_rule:
        checks.append(
            Check(
                "fos_leaflet",
                "Enclosure of the FOS standard explanatory leaflet",
                leaflet_rule,
                phrases=(LEAFLET,),
                applies=fos_available,
                holds=leaflet_goes_with_it,
            )
        )
    checks += fos_not_available(FOS_REFERRAL)
    return checks


# Every letter, whatever its type: where the FOS cannot consider the complaint, a six-month
# window for referring it (DISP 2.8.2R(1), the DISP 1 Annex 3R wording) would tell the
# complainant of a right they do not have (CP26/4 para 3.29: firms must say clearly whether the
# FOS is available). Read from the facts (``Facts.fos_available``), not from the template used.
NO_SIX_MONTH_WITHOUT_FOS = Check(
    "no_six_month_wording",
    "No six-month time limit for referring to the Financial Ombudsman Service, which cannot "
    "consider this complaint",
    "CP26/4 para 3.29; DISP 2.8.2R(1); DISP 1 Annex 3R",
    forbidden=(SIX_MONTH_LIMIT,),
    applies=lambda f: not f.fos_available,
)


# Every letter, whatever its type: "you may now refer" (in any words, ``MAY_NOW_REFER``) only
# when the Ombudsman may consider the complaint on the day the letter is sent (DISP 2.8.1R: a
# final response or SRC given, this letter included, or the firm's time run out; and FOS
# access, CP26/4 paras 3.24 and 3.29). A fact about the complaint on the send date, not the
# letter type: a holding response before eight weeks, or any letter about an act before the
# regime began, fails; the PSD/EMD holding response's "if you have not received our final
# response by then, you may refer" is a right to come, and passes.
NO_REFERRAL_NOW_UNLESS_OPEN = Check(
    "no_referral_now",
    "No statement that the complainant may now refer to the Financial Ombudsman Service "
    "unless the Ombudsman may consider the complaint on the date the letter is sent",
    "DISP 2.8.1R; DISP 1.6.2R(2)(b); CP26/4 paras 3.24 and 3.29",
    forbidden=(MAY_NOW_REFER,),
    applies=lambda f: not (f.fos_available and f.fos_open_on_send),
)


# The final response's FOS block (DISP 1.6.2R(1)(d)-(f)), the same for every final variant.
FINAL_FOS = fos_checks(
    referral_rule="DISP 1.6.2R(1)(e)",
    waiver_rule="DISP 1.6.2R(1)(f); DISP 1 Annex 3R",
    website_rule="DISP 1.6.2R(1)(da)",
    leaflet_rule="DISP 1.6.2R(1)(d)",
    six_month_rule="DISP 2.8.3G; DISP 1 Annex 3R(1)",
)
