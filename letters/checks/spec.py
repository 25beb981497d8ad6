"""The vocabulary of the mandatory-content checks: the facts a letter's requirements depend on,
one required element (``Check``) and its outcome on a rendered letter (``CheckResult``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Facts:
    """What a letter must say depends on these facts about it."""

    letter_type: str
    fos_available: bool = True
    # Why the FOS is not offered when ``fos_available`` is False (a ``FosBasis`` value;
    # "" is read as no UK establishment, the first reason the product knew).
    fos_unavailable_because: str = ""
    # DISP 2.8.1R on the date the letter is sent: the Ombudsman may consider the complaint then
    # (FOS access, and a final response or SRC given, this letter included, or the firm's time
    # run out). Only then may a letter say the complainant "may now refer".
    fos_open_on_send: bool = True
    consents_to_waive: bool = False
    is_psd: bool = False
    outcome: str = ""
    has_redress: bool = False
    has_reasons: bool = False
    partial_forward: bool = False
    # DISP 1.4.1R(3): the amounts of the offered, accepted and paid items on the complaint's
    # redress ledger, as a letter prints money ("£100.00").
    redress_amounts: tuple[str, ...] = ()
    # DISP 1.6.2R(1)(d), (2)(c): the delivery carries the FOS leaflet (attached to the e-mail,
    # appended to the print pack), because the firm has one on file to enclose.
    leaflet_enclosed: bool = False
    # The letter's language ("en", or "cy": read for each phrase in English or Welsh).
    language: str = "en"


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    rule: str
    phrases: tuple[str, ...] = ()  # every pattern must match (alternatives inside with |)
    values: tuple[str, ...] = ()  # these merge values must be non-empty and appear verbatim
    forbidden: tuple[str, ...] = ()  # none of these patterns may match
    # Prescribed wording (DISP 1 Annex 3R) that must appear word for word: template text, read
    # as the complainant reads it (list markers, quotes, dashes, case and line breaks aside).
    verbatim: tuple[str, ...] = ()
    # Facts the letter must state, each as the letter prints it (the amounts on the redress
    # ledger): compared with the record, not with what the handler typed.
    stated: Callable[[Facts], tuple[str, ...]] = field(default=lambda f: ())
    applies: Callable[[Facts], bool] = field(default=lambda f: True)
    # A fact about the delivery the wording promises (the leaflet "enclosed" really goes with
    # it): empty when it holds, else why not and what to do.
    holds: Callable[[Facts], str] = field(default=lambda f: "")


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    rule: str
    passed: bool
    detail: str = ""
    unstated: tuple[str, ...] = ()  # the facts (``Check.stated``) the letter does not state

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
