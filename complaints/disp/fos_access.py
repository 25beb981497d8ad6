"""FOS access for one complaint: may the Financial Ombudsman Service consider it at all
(disp-rules.md §3.1-§3.2).

The one decision the letters (what they tell the complainant) and the FOS jurisdiction checklist
(where the firm would object) both read, so they cannot disagree:

- CP26/4 paras 3.26-3.27 (DISP 2.6.1R): no FOS access for activity not carried on from a UK
  establishment;
- CP26/4 para 3.24: for the new regulated cryptoasset activities, only acts or omissions on or
  after the day the regime goes live (``commencement``, configuration);
- an unknown event date: the firm chooses the wording (offer the FOS, or say it may not be able
  to consider the complaint), never a silent guess;

``Complaint.fos_access`` reads it with the firm's setting and the configured commencement;
``Complaint.fos_may_consider`` adds the date (DISP 2.8.1R(1)/(2)/(2A): a final response or SRC
sent, or the firm's time run out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .clock import on_or_after_commencement


class FosBasis(StrEnum):
    """Why the FOS is (or is not) open to the complaint, as the letters say it."""

    AVAILABLE = "available"
    NO_UK_ESTABLISHMENT = "no_uk_establishment"  # CP26/4 paras 3.27, 3.29; DISP 2.6.1R
    BEFORE_COMMENCEMENT = "before_commencement"  # CP26/4 para 3.24
    EVENT_DATE_UNKNOWN = "event_date_unknown"  # the firm's "may not be able to consider" wording


@dataclass(frozen=True)
class FosAccess:
    basis: FosBasis
    commencement: dt.date

    @property
    def available(self) -> bool:
        return self.basis is FosBasis.AVAILABLE


def commencement_reached(
    event_date: dt.date | None, commencement: dt.date, *, crypto_activity: bool
) -> bool | None:
    """CP26/4 para 3.24: True if the act or omission complained of is within the compulsory
    jurisdiction's start (on or after commencement, or not a new cryptoasset activity at all),
    False if it happened before the regime began, None if the event date is unknown."""
    if not crypto_activity:
        return True
    if event_date is None:
        return None
    return on_or_after_commencement(event_date, commencement)


def fos_access(
    *,
    crypto_activity: bool,
    from_uk: bool | None,
    event_date: dt.date | None,
    commencement: dt.date,
    offer_fos_when_event_unknown: bool,
) -> FosAccess:
    """Whether the FOS may consider the complaint at all, and if not, why. An activity the firm
    has not listed (``from_uk`` None) is not refused (never deny a right by default); an unknown
    event date follows the firm's chosen wording."""
    reached = commencement_reached(event_date, commencement, crypto_activity=crypto_activity)
    if from_uk is False:
        basis = FosBasis.NO_UK_ESTABLISHMENT
    elif reached is False:
        basis = FosBasis.BEFORE_COMMENCEMENT
    elif reached is None and not offer_fos_when_event_unknown:
        basis = FosBasis.EVENT_DATE_UNKNOWN
    else:
        basis = FosBasis.AVAILABLE
    return FosAccess(basis, commencement)
