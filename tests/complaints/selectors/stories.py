"""One complaint's story, told the same way to every timeline test (the page's and the audit's)."""

from __future__ import annotations

import time_machine

from complaints import services
from complaints.models import Complaint
from tests.factories import london, make_complaint


def timeline_story(firm, handler, supervisor, *, notes=1):
    """Register (Mon 6 Apr 2026 10:00), acknowledge (Tue 11:00), notes (Wed), assign (Thu)."""
    with time_machine.travel(london(2026, 4, 6, 10), tick=False):
        complaint = make_complaint(
            firm=firm,
            received_at=london(2026, 4, 6, 9, 30),
            actor=handler,
            description="Withdrawal stuck for ten days.",
        )
    with time_machine.travel(london(2026, 4, 7, 11), tick=False):
        services.complaint_acknowledge(
            complaint_id=complaint.pk, actor=handler, now=london(2026, 4, 7, 11)
        )
    for i in range(notes):
        with time_machine.travel(london(2026, 4, 8, 12, i), tick=False):
            services.complaint_add_note(
                complaint_id=complaint.pk,
                actor=supervisor,
                now=london(2026, 4, 8, 12, i),
                body=f"Checked the ledger ({i}).",
            )
    with time_machine.travel(london(2026, 4, 9, 9), tick=False):
        services.complaint_assign(
            complaint_id=complaint.pk,
            actor=supervisor,
            now=london(2026, 4, 9, 9),
            owner_id=handler.pk,
        )
    return Complaint.objects.get(pk=complaint.pk)
