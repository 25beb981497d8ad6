"""A compliance officer's story for the audit trail's words: a complaint logged, acknowledged,
investigated, £125 redress offered, a final response (upheld) drafted, approved by a supervisor
and sent, referred to the FOS; a second complaint resolved by SRC; a quarter's return computed and
approved. Every step through the services, each at its own London time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import time_machine

from complaints import services as cs
from complaints.choices import Outcome, RedressKind
from complaints.models import Complaint
from fos.services import referral_log
from letters import services as letters
from letters.choices import LetterType
from remediation.services.redress import RedressData, redress_offer
from reporting.services import return_approve, return_compute
from tests.factories import MembershipFactory, london, make_complaint
from tests.reporting.helpers import load_snapshot, position

REASONS = "The withdrawal was held by our error for nine days; we put it right."
LONG = "The custodian's report, read line by line, shows each hold and release. " * 25


@dataclass
class Story:
    complaint: Complaint
    src: Complaint
    handler: object
    supervisor: object
    officer: object
    admin: object


def _at(when, fn, **kwargs):
    with time_machine.travel(when, tick=False):
        return fn(now=when, **kwargs)


def audit_story(firm, handler, supervisor) -> Story:
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    admin = MembershipFactory(firm=firm, role="admin").user
    _at(
        london(2026, 3, 30, 9),
        letters.approval_policy_set,
        firm_id=firm.pk,
        letter_type=LetterType.FINAL_UPHELD,
        required=True,
        actor=admin,
    )
    received = london(2026, 4, 1, 9)
    with time_machine.travel(received, tick=False):
        c = make_complaint(firm=firm, received_at=received, actor=handler, description=LONG)
    kw = {"complaint_id": c.pk, "actor": handler}
    _at(london(2026, 4, 1, 15), cs.complaint_acknowledge, **kw)
    _at(london(2026, 4, 2, 10), cs.complaint_start_investigation, **kw)
    _at(
        london(2026, 4, 10, 11),
        redress_offer,
        **kw,
        data=RedressData(kind=RedressKind.FINANCIAL_LOSS, amount_gbp=Decimal("125.00")),
    )
    for i in range(3):
        _at(london(2026, 4, 13, 9, i), cs.complaint_add_note, **kw, body=f"{LONG} ({i})")
    draft = _at(
        london(2026, 4, 14, 10),
        letters.letter_create_draft,
        **kw,
        letter_type=LetterType.FINAL_UPHELD,
        outcome=Outcome.UPHELD,
        reasons=REASONS,
        redress_summary="We will pay you £125.00 for the loss the delay caused.",
    )
    _at(
        london(2026, 4, 14, 11),
        letters.letter_submit_for_approval,
        letter_id=draft.pk,
        actor=handler,
    )
    _at(london(2026, 4, 15, 9), letters.letter_approve, letter_id=draft.pk, actor=supervisor)
    _at(london(2026, 4, 15, 10), cs.complaint_send_letter, letter_id=draft.pk, actor=handler)
    _at(
        london(2026, 4, 20, 12),
        referral_log,
        complaint_id=c.pk,
        actor=handler,
        referred_on=date(2026, 4, 20),
    )

    src_received = london(2026, 4, 21, 9)
    with time_machine.travel(src_received, tick=False):
        src = make_complaint(firm=firm, received_at=src_received, actor=handler)
    _at(
        src_received + timedelta(hours=5),
        cs.complaint_resolve_summary,
        complaint_id=src.pk,
        actor=handler,
        outcome=Outcome.UPHELD,
        redress_summary="We refunded the £12.50 fee.",
    )

    quarter_end = date(2026, 6, 30)
    load_snapshot(
        firm, quarter_end, [position("A", "A1")], actor=officer, now=london(2026, 7, 2, 9)
    )
    version = _at(
        london(2026, 7, 3, 9), return_compute, firm=firm, period_end=quarter_end, actor=officer
    )
    _at(
        london(2026, 7, 6, 9),
        return_approve,
        return_id=version.sup16_return_id,
        version=version.number,
        actor=supervisor,
    )
    return Story(
        Complaint.objects.get(pk=c.pk),
        Complaint.objects.get(pk=src.pk),
        handler,
        supervisor,
        officer,
        admin,
    )
