"""Award limits (DISP 3.7.4R) and interest bases on FOS awards (disp-rules.md §4.3–4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from .choices import InterestBasis
from .models import FosAwardLimit

# DISP 3.7.4R: the higher limits apply to acts or omissions on or after 1 April 2019.
POST_2019_ACTS_FROM = date(2019, 4, 1)
# FOS practice: referrals from 1 Jan 2026 get BoE base (average) + 1%, earlier ones 8% simple.
DEFAULT_BOE_INTEREST_FROM = date(2026, 1, 1)
LATE_PAYMENT_BASIS = InterestBasis.EIGHT_PC_SIMPLE


@dataclass(frozen=True)
class AwardLimit:
    amount: Decimal
    effective_from: date
    verified: bool
    note: str


def award_limit_for(referred_on: date, act_on: date | None = None) -> AwardLimit | None:
    """The limit that applies to a complaint referred to the FOS on ``referred_on`` (the table
    is keyed by referral date). Acts before 1 April 2019 use the lower column where known."""
    row = (
        FosAwardLimit.objects.filter(effective_from__lte=referred_on)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return None
    pre_2019 = act_on is not None and act_on < POST_2019_ACTS_FROM
    amount = row.limit_pre_2019_acts if pre_2019 else row.limit_post_2019_acts
    if amount is None:
        return AwardLimit(
            row.limit_post_2019_acts,
            row.effective_from,
            False,
            "No limit recorded for acts before 1 April 2019 in this year; the post-2019 "
            "limit is shown. " + row.note,
        )
    return AwardLimit(amount, row.effective_from, row.verified, row.note)


def split_award(amount: Decimal, limit: Decimal | None) -> tuple[Decimal, Decimal | None]:
    """FSMA s.229(5): the Ombudsman may only *recommend* payment above the limit.

    Returns (binding part, recommended excess or None)."""
    if limit is None or amount <= limit:
        return amount, None
    return limit, amount - limit


def interest_basis_for(referred_on: date) -> str:
    """disp-rules.md §4.4 / E51: 8% simple for referrals before the switch date, BoE base
    (average) + 1% on or after it. The switch date is a setting (FOS_BOE_INTEREST_FROM)."""
    switch = getattr(settings, "FOS_BOE_INTEREST_FROM", DEFAULT_BOE_INTEREST_FROM)
    if referred_on < switch:
        return InterestBasis.EIGHT_PC_SIMPLE
    return InterestBasis.BOE_BASE_AVG_PLUS_1


def late_payment_interest_basis() -> str:
    """E51: late payment of an award attracts 8% simple, whatever the referral date."""
    return LATE_PAYMENT_BASIS


def compliance_target_days() -> int:
    return int(getattr(settings, "FOS_AWARD_COMPLIANCE_TARGET_DAYS", 28))
