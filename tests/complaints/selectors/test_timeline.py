"""The complaint page's reading of the timeline: readable reasons, communications and notes as
they stand, newest first, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.audit import delete_audited
from complaints.models import Note
from complaints.selectors import complaint_timeline, readable_reason, readable_timeline
from tests.complaints.selectors.stories import timeline_story
from tests.factories import london


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("complaint.acknowledge", "Acknowledged the complaint"),
        ("complaint.resolve_summary", "Resolved by summary resolution communication"),
        (
            "complaint.recompute_deadlines: bank holiday 2026-06-15 added",
            "Recomputed the deadlines: bank holiday 2026-06-15 added",
        ),
        ("letters.approve", "Letters approve"),
        (None, "Changed the complaint"),
    ],
)
def test_readable_reason(reason, text):
    assert readable_reason(reason) == text


@pytest.mark.django_db
def test_the_page_reads_the_complaint_communications_and_notes_newest_first(
    firm, handler, supervisor
):
    complaint = timeline_story(firm, handler, supervisor)
    entries = readable_timeline(complaint)
    hannah, sam = handler.get_full_name(), supervisor.get_full_name()
    assert [(e.at, e.kind, e.who, e.what, e.body) for e in entries] == [
        (london(2026, 4, 9, 9), "history", sam, "Changed the owner", ""),
        (london(2026, 4, 8, 12), "note", sam, "Added an internal note", "Checked the ledger (0)."),
        (
            london(2026, 4, 7, 11),
            "communication",
            hannah,
            "Acknowledgement (DISP 1.6.1R) sent by Email on Tue 7 Apr 2026, 11:00",
            "",
        ),
        (london(2026, 4, 7, 11), "history", hannah, "Acknowledged the complaint", ""),
        (london(2026, 4, 6, 10), "history", hannah, "Logged the complaint", ""),
    ]
    # Field changes by field name; bookkeeping left out; none listed for the registration.
    changes = [[(c.label, c.before, c.after) for c in e.changes] for e in entries]
    assert changes[0] == [("Owner", "—", hannah)]
    assert changes[3] == [
        ("Acknowledged at", "—", "Tue 7 Apr 2026, 11:00"),
        ("Status", "Received", "Acknowledged"),
    ]
    assert changes[4] == []


@pytest.mark.django_db
def test_a_deleted_note_leaves_the_page_but_not_the_audit_trail(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)
    delete_audited(Note.objects.get(complaint=complaint), actor=supervisor, reason="note.delete")
    assert "note" not in {e.kind for e in readable_timeline(complaint)}
    notes = [e.action for e in complaint_timeline(complaint) if e.kind == "Note"]
    assert notes == ["created", "deleted"]


def _count(func):
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx), result


@pytest.mark.django_db
def test_the_page_reading_costs_six_queries_whatever_the_length(firm, handler, supervisor):
    """One per history table it reads (complaint, communications, forwarded parts, notes), one
    for the users, one for the complainant the complaint names."""
    small = timeline_story(firm, handler, supervisor, notes=1)
    large = timeline_story(firm, handler, supervisor, notes=15)
    small_count, small_entries = _count(lambda: readable_timeline(small))
    large_count, large_entries = _count(lambda: readable_timeline(large))
    assert (len(small_entries), len(large_entries)) == (5, 19)
    assert small_count == large_count == 6
