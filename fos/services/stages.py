"""Stage actions: one service per FOS stage transition, all made from ``guards.ACTIONS``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import save_audited, snapshot
from common.dates import london_date, uk_date

from .. import guards
from ..awards import compliance_target_days
from ..choices import Stage
from ..models import Referral
from ._locking import lock_referral
from ._validation import _money, _require_past
from .deadlines import _add_deadline, _close_open_deadlines
from .referrals import _record_stage

# --- stage actions ----------------------------------------------------------------------


def _stripped(value: str | None) -> str:
    # Validation of the value is the guard's job (it names the rule); normalise only.
    return (value or "").strip()


def _same(value: Any) -> Any:
    return value


# How a service reads each input of ``guards.ACTIONS[action].fields`` ("on" aside); an input not
# named here is passed as given, None when left out.
_READ_INPUT: dict[str, Callable[[Any], Any]] = {
    "outcome": _stripped,
    "kind": _stripped,
    # FSMA s.229: the amount the firm paid when it complied with the award, and why any less.
    "amount_paid": lambda value: _money("amount_paid", value),
    "shortfall_reason": _stripped,
}

# What an action records that the caller does not give: accepting a view or a decision makes
# it binding, and the firm's time to comply runs from then.
_DERIVED: dict[str, Callable[[], dict[str, Any]]] = {
    "accept_view": lambda: {"compliance_target_days": compliance_target_days()},
    "accept_decision": lambda: {"compliance_target_days": compliance_target_days()},
}


def _stage_service(action: str) -> Callable[..., Referral]:
    """The service for one stage action, taking the inputs its ``guards.ACTIONS`` entry lists
    (DISP 3.2.2R refer back; the investigator's view, whose date to respond by becomes one of
    the firm's FOS deadlines; the final decision with its acceptance deadline; FSMA s.229
    compliance with the amount paid)."""
    spec = guards.ACTIONS[action]
    inputs = tuple(name for name in spec.fields if name != "on")

    def service(
        *,
        referral_id: int,
        actor: AbstractBaseUser | None,
        now: datetime,
        on: date | None = None,
        note: str = "",
        expected_version: int | None = None,
        **given: Any,
    ) -> Referral:
        if unknown := sorted(given.keys() - set(inputs)):
            raise TypeError(f"{service.__name__}() got unexpected keyword arguments {unknown}")
        params = {name: _READ_INPUT.get(name, _same)(given.get(name)) for name in inputs}
        params.update(_DERIVED[action]() if action in _DERIVED else {})
        on = on or london_date(now)
        _require_past("on", on, now)
        with transaction.atomic():
            referral = lock_referral(
                referral_id, expected_version, select_related=("complaint", "firm")
            )
            guards.check(referral, action, on, params)
            before = snapshot(referral)
            getattr(referral, action)(on=on, **params)
            referral.stage_entered_on = on
            referral.version += 1
            save_audited(referral, actor=actor, reason=f"fos.{action}", before=before)
            _record_stage(referral, action=action, on=on, actor=actor, now=now, note=note)
            if referral.stage in Stage.closed():
                _close_open_deadlines(
                    referral,
                    note=f"Closed with the referral ({spec.label}, {uk_date(on)})",
                    actor=actor,
                    now=now,
                )
            if action == "issue_view" and params.get("response_due"):
                _add_deadline(
                    referral,
                    description="Respond to the investigator's view",
                    due_on=params["response_due"],
                    source=f"Investigator's view of {uk_date(on)}",
                    actor=actor,
                    now=now,
                )
        return referral

    service.__name__ = service.__qualname__ = f"referral_{action}"
    service.__doc__ = f"{spec.label}: {spec.help}"
    return service


# One service per stage action, keyed by the action: the pages, the API and the demo look the
# service up here.
STAGE_SERVICES: dict[str, Callable[..., Referral]] = {
    action: _stage_service(action) for action in guards.ACTIONS
}
# DISP 3.2.2R: the one stage action the demo names on its own.
referral_refer_back = STAGE_SERVICES["refer_back"]
