"""The FOS services' lock on a referral: common.locking with the FOS's codes and wording."""

from __future__ import annotations

from common.locking import check_version, lock_row

from ..errors import FosErrorCode
from ..models import Referral

STALE_REFERRAL = (
    "Someone else changed this FOS referral after you opened it. Review it and try again."
)


def lock_referral(
    referral_id: int,
    expected_version: int | None = None,
    *,
    select_related: tuple[str, ...] = (),
) -> Referral:
    """Lock one referral for the rest of the transaction (after its complaint, where both are
    locked) and refuse a caller whose ``expected_version`` is old."""
    referral = lock_row(
        Referral.objects.all(),
        referral_id,
        code=FosErrorCode.NOT_FOUND,
        message=f"FOS referral {referral_id} not found.",
        select_related=select_related,
    )
    check_version(
        referral,
        expected_version,
        code=FosErrorCode.STALE,
        message=STALE_REFERRAL,
        extra={"stage": referral.stage},
    )
    return referral
