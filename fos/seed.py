"""Reference data the FOS tracker ships with: case-fee schedules (disp-rules.md §4.2) and award
limits (§4.3). Both are editable in the admin; unverified figures say so.

Seeded by migration 0002 and again after every migrate or flush (post_migrate), creating only
rows that are missing, so an administrator's edits are never overwritten and a flushed test
database gets them back.
"""

from datetime import date
from decimal import Decimal

FEES = [
    # financial year, free cases, standard fee, prof-rep not-upheld fee, confirmed, note
    (
        2022,
        3,
        "750",
        None,
        True,
        "Case fee £750; free cases cut from 25 to 3 [V-3p: "
        "regulationtomorrow.com, FOS strategic plans and budget 2022/23].",
    ),
    (
        2023,
        3,
        "750",
        None,
        False,
        "Not stated in disp-rules.md: assumed unchanged from "
        "2022/23 until the 2024/25 cut. Check before relying on it.",
    ),
    (
        2024,
        3,
        "650",
        None,
        True,
        "Fee cut to £650 [V-3p: financialinstitutionsnews.com "
        "2024-04-04]. The reduced professional-representative fee starts 1 April 2025.",
    ),
    (
        2025,
        3,
        "650",
        "475",
        True,
        "£650; £475 if brought by a professional representative "
        "and not upheld, since 1 April 2025 [V: FOS news, consults-changes-case-fees].",
    ),
    (
        2026,
        3,
        "680",
        "475",
        False,
        "PROPOSED, not confirmed: the November 2025 consultation "
        "proposed £680 [V-3p]. The reduced professional-representative fee is carried forward "
        "from 2025/26 (no 2026/27 figure found).",
    ),
]

LIMITS = [
    # effective from, post-2019 acts, pre-2019 acts, verified, note
    (
        date(2012, 1, 1),
        "150000",
        "150000",
        True,
        "Referrals before 1 April 2019 [V: FOS news fca-confirms-increase-award-limits]. "
        "The start date of this row is not from disp-rules.md.",
    ),
    (date(2019, 4, 1), "350000", "160000", True, "[V] FOS news."),
    (
        date(2020, 4, 1),
        "355000",
        "160000",
        True,
        "1 Apr 2020 – 31 Mar 2022 [V] FOS news annual-increase-award-limits.",
    ),
    (date(2022, 4, 1), "375000", "170000", True, "[V] FOS news increase-award-limits."),
    (date(2023, 4, 1), "415000", "190000", True, "[V] FOS news changes-award-limits."),
    (date(2024, 4, 1), "430000", "195000", True, "[V] FOS news increase-award-limits-2 (E50)."),
    (
        date(2025, 4, 1),
        "445000",
        "200000",
        False,
        "UNVERIFIED [M]: derived from the PS19/8 CPI formula; no FCA/FOS source found.",
    ),
    (
        date(2026, 4, 1),
        "455000",
        None,
        False,
        "UNVERIFIED: only third-party documents state £455,000; the pre-2019 limit is unknown "
        "(about £205,000–£210,000 [M]).",
    ),
]


def seed_reference_data(fee_model, limit_model) -> None:
    for year, free, fee, reduced, confirmed, note in FEES:
        fee_model.objects.get_or_create(
            financial_year=year,
            defaults={
                "free_cases": free,
                "standard_fee": Decimal(fee),
                "prof_rep_not_upheld_fee": Decimal(reduced) if reduced else None,
                "confirmed": confirmed,
                "note": note,
            },
        )
    for start, post, pre, verified, note in LIMITS:
        limit_model.objects.get_or_create(
            effective_from=start,
            defaults={
                "limit_post_2019_acts": Decimal(post),
                "limit_pre_2019_acts": Decimal(pre) if pre else None,
                "verified": verified,
                "note": note,
            },
        )


def seed_after_migrate(sender, **kwargs) -> None:
    from .models import FosAwardLimit, FosFeeSchedule

    seed_reference_data(FosFeeSchedule, FosAwardLimit)
