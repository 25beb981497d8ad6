"""The supervisor's audit timeline against known change sequences."""

from datetime import date

import pytest
import time_machine

from audit.selectors import user_activity
from common.audit import delete_audited
from complaints import services
from complaints.models import Communication, Complainant, Complaint, Note
from complaints.selectors.history import complaint_sources, history_sources
from complaints.selectors.timeline import complaint_timeline
from tests.complaints.selectors.stories import timeline_story
from tests.factories import london

pytestmark = pytest.mark.django_db


def test_sources_are_discovered_from_the_registry_not_listed():
    keys = [s.key for s in complaint_sources()]
    # The complaint, its complainant, and every model with a foreign key to Complaint.
    assert keys[:2] == ["complaints.complaint", "complaints.complainant"]
    assert {"complaints.communication", "complaints.note"} <= set(keys)
    for source in complaint_sources():
        fks = [
            f
            for f in source.model._meta.concrete_fields
            if f.is_relation and f.related_model is Complaint
        ]
        assert fks or source.model in (Complaint, Complainant) or source.order == 20


def test_timeline_lists_every_change_in_order_with_who_when_why(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)

    entries = complaint_timeline(complaint)

    summary = [(e.at, e.kind, e.action, e.reason, e.actor_id) for e in entries]
    assert summary == [
        (london(2026, 4, 6, 10), "Complaint", "created", "complaint.register", handler.pk),
        (london(2026, 4, 6, 10), "Complainant", "created", "complainant.create", handler.pk),
        (london(2026, 4, 7, 11), "Complaint", "changed", "complaint.acknowledge", handler.pk),
        (
            london(2026, 4, 7, 11),
            "Communication",
            "created",
            "communication.acknowledgement",
            handler.pk,
        ),
        # The acknowledgement letter (letters), found one FK away from the complaint.
        (london(2026, 4, 7, 11), "Letter", "created", "letter.generate", handler.pk),
        (london(2026, 4, 7, 11), "Letter", "changed", "letter.send", handler.pk),
        (london(2026, 4, 8, 12), "Note", "created", "complaint.note", supervisor.pk),
        (london(2026, 4, 9, 9), "Complaint", "changed", "complaint.assign", supervisor.pk),
    ]


def test_changed_entries_diff_field_by_field_against_the_previous_version(
    firm, handler, supervisor
):
    complaint = timeline_story(firm, handler, supervisor)
    entries = complaint_timeline(complaint)

    acknowledge = next(e for e in entries if e.reason == "complaint.acknowledge")
    diff = {c.label: (c.before, c.after) for c in acknowledge.changes}
    # Verbose names, choice labels, UK dates; bookkeeping fields (version, updated_at) left out.
    assert diff == {
        "Status": ("Received", "Acknowledged"),
        "Acknowledged at": ("—", "Tue 7 Apr 2026, 11:00"),
    }
    assign = next(e for e in entries if e.reason == "complaint.assign")
    owner = handler.get_full_name()
    assert [(c.label, c.before, c.after) for c in assign.changes] == [("Owner", "—", owner)]


def test_created_entries_show_the_initial_values(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)
    note = next(e for e in complaint_timeline(complaint) if e.kind == "Note")
    values = {c.label: (c.before, c.after) for c in note.changes}
    assert values["Body"] == ("", "Checked the ledger (0).")
    assert values["Author"] == ("", supervisor.get_full_name())


def test_long_text_is_truncated_for_display_but_kept_in_full(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor, notes=0)
    services.complaint_add_note(
        complaint_id=complaint.pk,
        actor=supervisor,
        now=london(2026, 4, 10, 9),
        body="word " * 200,
    )
    note = next(e for e in complaint_timeline(complaint, limit_chars=50) if e.kind == "Note")
    body = next(c for c in note.changes if c.label == "Body")
    assert len(body.after) == len(("word " * 200).strip())
    assert body.truncated and body.after_short.endswith("(999 characters)")
    assert len(body.after_short) < 80


def test_deleted_records_appear_as_deleted(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)
    note = Note.objects.get(complaint=complaint)
    delete_audited(note, actor=supervisor, reason="note.delete")
    last = complaint_timeline(complaint)[-1]
    assert (last.kind, last.action, last.reason, last.changes) == (
        "Note",
        "deleted",
        "note.delete",
        [],
    )


def test_filter_by_person_kind_and_london_dates(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)

    by_supervisor = complaint_timeline(complaint, actor=str(supervisor.pk))
    assert {e.reason for e in by_supervisor} == {"complaint.note", "complaint.assign"}

    only_complaint = complaint_timeline(complaint, kinds=["complaints.complaint"])
    assert [e.reason for e in only_complaint] == [
        "complaint.register",
        "complaint.acknowledge",
        "complaint.assign",
    ]
    # The diff of a filtered entry is still against its true predecessor.
    assign = complaint_timeline(complaint, actor=str(supervisor.pk), kinds=["complaints.complaint"])
    assert [(c.label, c.before) for c in assign[0].changes] == [("Owner", "—")]

    tue_wed = complaint_timeline(complaint, date_from=date(2026, 4, 7), date_to=date(2026, 4, 8))
    assert [e.reason for e in tue_wed] == [
        "complaint.acknowledge",
        "communication.acknowledgement",
        "letter.generate",
        "letter.send",
        "complaint.note",
    ]
    assert complaint_timeline(complaint, actor="system") == []


def test_london_day_boundaries_not_utc(firm, handler, supervisor):
    """00:30 BST on 7 Apr is 23:30 UTC on 6 Apr: it belongs to 7 Apr."""
    complaint = timeline_story(firm, handler, supervisor, notes=0)
    with time_machine.travel(london(2026, 4, 7, 0, 30), tick=False):
        services.complaint_add_note(
            complaint_id=complaint.pk, actor=supervisor, now=london(2026, 4, 7, 0, 30), body="x"
        )
    on_7th = complaint_timeline(complaint, date_from=date(2026, 4, 7), date_to=date(2026, 4, 7))
    assert "complaint.note" in {e.reason for e in on_7th}
    on_6th = complaint_timeline(complaint, date_from=date(2026, 4, 6), date_to=date(2026, 4, 6))
    assert "complaint.note" not in {e.reason for e in on_6th}


def test_other_complaints_history_never_appears(firm, handler, supervisor):
    complaint = timeline_story(firm, handler, supervisor)
    other = timeline_story(firm, handler, supervisor)
    ids = {(e.kind, e.object_id) for e in complaint_timeline(complaint)}
    assert ("Complaint", other.pk) not in ids
    assert ("Note", Note.objects.get(complaint=other).pk) not in ids
    assert ("Communication", Communication.objects.get(complaint=other).pk) not in ids


def _count(func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx), result


# The kinds of record this story's foreign keys name in words, one query each: the complainant,
# the letter's template version, its communication and the FOS leaflet it enclosed.
RELATED_KINDS = 4


def test_timeline_query_count_is_bounded_and_independent_of_size(firm, handler, supervisor):
    """One query per history table, one for users named in foreign keys and one per other kind
    of record they name; a filtered read adds at most one per table, for the previous versions
    the filter left out."""
    small = timeline_story(firm, handler, supervisor, notes=1)
    large = timeline_story(firm, handler, supervisor, notes=15)
    small_count, small_entries = _count(lambda: complaint_timeline(small))
    large_count, large_entries = _count(lambda: complaint_timeline(large))
    # register, complainant, acknowledge, communication, letter created + sent, assign + notes
    assert (len(small_entries), len(large_entries)) == (8, 22)
    assert small_count == large_count <= len(complaint_sources()) + 1 + RELATED_KINDS

    def after_tuesday(complaint):
        return complaint_timeline(complaint, date_from=date(2026, 4, 8))

    small_count, small_entries = _count(lambda: after_tuesday(small))
    large_count, large_entries = _count(lambda: after_tuesday(large))
    assert (len(small_entries), len(large_entries)) == (2, 16)
    assert small_count == large_count <= 2 * len(complaint_sources()) + 1 + RELATED_KINDS


def test_user_activity_covers_every_table_in_the_viewers_firms_only(
    firm, firm_b, handler, supervisor
):
    mine = timeline_story(firm, handler, supervisor, notes=2)
    # The same supervisor also works for firm B; the viewer below only sees firm A.
    from tests.factories import MembershipFactory

    MembershipFactory(firm=firm_b, user=supervisor, role="supervisor")
    timeline_story(firm_b, supervisor, supervisor, notes=1)

    activity = user_activity(
        supervisor.pk, firm_ids=[firm.pk], date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
    )
    # Newest first.
    assert [(e.kind, e.reason, e.complaint_reference) for e in activity.entries] == [
        ("Complaint", "complaint.assign", mine.reference),
        ("Note", "complaint.note", mine.reference),
        ("Note", "complaint.note", mine.reference),
    ]
    assert activity.page.paginator.count == 3


def test_user_activity_query_count_is_bounded_and_independent_of_size(firm, handler, supervisor):
    def activity():
        return user_activity(
            supervisor.pk,
            firm_ids=[firm.pk],
            date_from=date(2026, 4, 1),
            date_to=date(2026, 4, 30),
        ).entries

    timeline_story(firm, handler, supervisor, notes=1)
    small_count, small_entries = _count(activity)
    timeline_story(firm, handler, supervisor, notes=15)
    large_count, large_entries = _count(activity)
    assert (len(small_entries), len(large_entries)) == (2, 18)
    # Two per history table, users named in foreign keys, complaint references.
    assert small_count == large_count <= 2 * len(history_sources()) + 2
