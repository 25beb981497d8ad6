"""Who may run a reporting use case for a firm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from common.errors import NotFound
from complaints.access import Perm, has_perm
from complaints.models import Firm

from ..errors import ErrorCode

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def require_firm_perm(actor: User | None, firm: Firm, perm: Perm) -> None:
    # Commands run as a named user or none (a system job); UI and API check before calling.
    if actor is not None and not has_perm(actor, firm.pk, perm):
        raise NotFound(ErrorCode.NOT_FOUND, "No such firm.")
