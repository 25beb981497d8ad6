"""The FOS services' lock on a referral (common.locking with the FOS's codes and wording), and
the audited change of one referral made under it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import save_audited, snapshot
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


@contextmanager
def referral_change(
    referral_id: int,
    expected_version: int | None = None,
    *,
    actor: AbstractBaseUser | None,
    reason: str,
    select_related: tuple[str, ...] = (),
) -> Iterator[Referral]:
    """One transaction: lock the referral, let the caller check and change it, then save it a
    version on with a history entry whose change reason is ``reason``. A refusal raised inside
    rolls everything back."""
    with transaction.atomic():
        referral = lock_referral(referral_id, expected_version, select_related=select_related)
        before = snapshot(referral)
        yield referral
        referral.version += 1
        save_audited(referral, actor=actor, reason=reason, before=before)
