"""An audit trail a compliance officer can file (issue 16): every entry a sentence in words
("Final response sent by …, upheld, £125.00 redress"), field changes labelled before → after,
never code names, raw JSON, HTML or database ids; FG21/1 vulnerability detail only for those
holding view_vulnerability_detail; the PDF fits A4; a colleague's activity newest first, a page
at a time, at a constant number of queries."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from audit.selectors import PAGE_SIZE, user_activity
from complaints.choices import CommunicationKind, Role
from complaints.models import Complaint, Note
from complaints.selectors.describe import field_value
from complaints.selectors.entries import TimelineEntry
from complaints.selectors.timeline import complaint_timeline
from complaints.services import VulnerabilityData, complaint_set_vulnerability
from fos.models import Referral
from letters.choices import LetterType
from letters.models import Letter
from remediation.models import RedressItem
from tests.audit.stories import Story, audit_story
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

# What a filed trail never shows: JSON or HTML, a database id ("#12", "complaint_id"), or a use
# case's code name ("complaint.final_response").
RAW = re.compile(
    r"[{}<>]|_id\b|#\d|(?<![\w.@-])(complaint|letter|fos|redress|return|snapshot)\.[a-z_]+\b(?!@)"
)


# The labels as the choices word them ("Final response: upheld (…)").
UPHELD_LETTER = LetterType.FINAL_UPHELD.label
FINAL_RESPONSE = CommunicationKind.FINAL_RESPONSE.label


@dataclass
class Read:
    """The story's trails and activity, read once for the module (then rolled back)."""

    story: Story
    trail: list[TimelineEntry]
    src_trail: list[TimelineEntry]
    approvals: list[TimelineEntry]
    everything: list[TimelineEntry]


@pytest.fixture(scope="module")
def read(django_db_setup, django_db_blocker, tmp_path_factory) -> Read:
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        firm = FirmFactory(name="Northern Digital Assets Ltd", nation="england")
        handler = MembershipFactory(firm=firm, role=Role.HANDLER).user
        supervisor = MembershipFactory(firm=firm, role=Role.SUPERVISOR).user
        story = audit_story(firm, handler, supervisor)
        trail = complaint_timeline(story.complaint)
        src_trail = complaint_timeline(story.src)
        approvals = user_activity(supervisor.pk, firm_ids=[firm.pk]).entries
        everything = [*trail, *src_trail]
        for user in (handler, supervisor, story.officer, story.admin):
            everything += user_activity(user.pk, firm_ids=[firm.pk], per_page=500).entries
        transaction.set_rollback(True)
    return Read(story, trail, src_trail, approvals, everything)


def _name(user) -> str:
    return user.get_full_name()


def test_the_main_events_read_as_sentences_naming_who_and_what(read):
    story = read.story
    h, s = _name(story.handler), _name(story.supervisor)
    trail = [e.sentence for e in read.trail]
    assert f"Complaint logged by {h}, received Wed 1 Apr 2026, 09:00 by email" in trail
    assert f"Acknowledgement sent by {h}" in trail
    assert f"Redress offered by {h}, financial loss, £125.00" in trail
    assert f"Letter approved by {s}, {UPHELD_LETTER}" in trail
    assert f"Final response sent by {h}, upheld, £125.00 redress" in trail
    assert f"FOS referral logged by {h}, referred Mon 20 Apr 2026" in trail

    src = [e.sentence for e in read.src_trail]
    assert f"Resolved by summary resolution communication (SRC) by {h}, upheld" in src

    assert [e.sentence for e in read.approvals] == [
        f"Return approved by {s}, version 1 of the return for the period ending Tue 30 Jun 2026",
        f"Letter approved by {s}, {UPHELD_LETTER}",
    ]


def test_field_changes_are_labelled_before_after_in_words(read):
    story, trail = read.story, read.trail

    def changes(sentence_start):
        entry = next(e for e in trail if e.sentence.startswith(sentence_start))
        return {c.label: (c.before, c.after) for c in entry.changes}

    assert changes("Acknowledgement sent") == {
        "Status": ("Received", "Acknowledged"),
        "Acknowledged at": ("—", "Wed 1 Apr 2026, 15:00"),
    }
    assert changes("Redress offered")["Amount (GBP)"] == ("", "£125.00")
    approved = changes("Letter approved")
    assert approved["Approved by"] == ("—", _name(story.supervisor))
    sent = changes(f"Letter sent by {_name(story.handler)}, Final response")
    assert sent["Communication"][1] == f"{FINAL_RESPONSE}, sent Wed 15 Apr 2026"
    # The letter's HTML and its content checks' JSON are machinery, never shown.
    assert not {"Html", "Check results"} & set(changes("Letter drafted"))
    final = changes("Final response sent")
    assert final["Six month wording included"] == ("No", "Yes")
    assert final["FOS six month deadline"] == ("—", "Thu 15 Oct 2026")


def test_no_ids_json_html_or_code_names_anywhere_in_the_trail(read):
    entries = read.everything
    assert len(entries) > 50
    texts = [(e.sentence, e.object_label) for e in entries]
    texts += [(c.label, c.before, c.after) for e in entries for c in e.changes]
    samples = ('{"a": 1}', "<p>", "complaint_id", "Note #12", "by complaint.final_response")
    assert all(RAW.search(sample) for sample in samples)  # the check can fail
    raw = [m.group(0) for t in texts for part in t if (m := RAW.search(part))]
    assert raw == []
    assert all(e.sentence for e in entries)


def test_values_in_words_money_dates_yes_no_json_and_html():
    def value(model, name, v, refs=None):
        return field_value(model._meta.get_field(name), v, refs or {})

    assert value(RedressItem, "amount_gbp", Decimal("1234.5")) == "£1,234.50"
    assert value(Referral, "award_amount", Decimal("170000")) == "£170,000.00"
    assert value(RedressItem, "quantity", Decimal("0.5")) == "0.5"  # an asset, not money
    assert value(RedressItem, "kind", "financial_loss") == "Financial loss"
    assert value(Complaint, "received_at", london(2026, 4, 9, 17)) == "Thu 9 Apr 2026, 17:00"
    assert value(Complaint, "event_date", date(2026, 4, 9)) == "Thu 9 Apr 2026"
    assert value(Complaint, "is_complaint", False) == "No"
    assert value(Letter, "check_results", {"fos_wording": {"ok": True}, "gaps": []}) == (
        "FOS wording: Ok: Yes; Gaps: none"
    )
    assert value(Letter, "body_text", "<p>Dear Jo,</p><p>We <b>agree</b>.</p>") == (
        "Dear Jo, We agree."
    )
    assert value(Referral, "jurisdiction_result", "outside_jurisdiction") == "Outside jurisdiction"
    owner = Complaint._meta.get_field("owner")
    assert value(Complaint, "owner", 7, {(owner.related_model, 7): "Ann Lee"}) == "Ann Lee"
    assert value(Complaint, "owner", 8) == "a user"  # gone: its kind, never its id
    assert value(Complaint, "description", "") == "—"


NOTE_MARK = "Vulnmark-words: recently bereaved, call mornings only"


def test_fg21_1_vulnerability_detail_shown_only_with_view_vulnerability_detail(
    client, firm, handler, supervisor
):
    """An administrator reviews the audit trail but does not hold view_vulnerability_detail:
    the trail says the support needs were recorded, never what they are."""
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), actor=handler)
    complaint_set_vulnerability(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 4, 2, 9),
        complainant_vulnerable=True,
        vulnerability_failure=False,
        complainant=VulnerabilityData(
            vulnerable_life_events=True,
            vulnerability_note=NOTE_MARK,
            vulnerability_identified_by="disclosed",
            vulnerability_consent=True,
        ),
    )
    admin = MembershipFactory(firm=firm, role=Role.ADMIN).user
    urls = [
        f"/audit/complaints/{complaint.pk}/",
        f"/audit/complaints/{complaint.pk}/audit.csv",
        f"/audit/users/{handler.pk}/",
    ]
    for reader, sees in ((admin, False), (supervisor, True)):
        client.force_login(reader)
        for url in urls:
            body = client.get(url).content.decode("utf-8-sig")
            assert "Vulnerability and support needs recorded by" in body, url
            assert (NOTE_MARK in body) is sees, (reader, url)
            assert ("Life events" in body) is sees, (reader, url)


def _long_trail(story):
    """23 entries: the story's complaint plus notes of long, unbroken text."""
    unbroken = "0x" + "ab12" * 120  # a wallet-like token with no space to break at
    for i in range(23 - len(complaint_timeline(story.complaint))):
        Note.objects.create(
            complaint=story.complaint,
            author=story.handler,
            body=f"Checked {unbroken} against the ledger ({i}).",
            created_at=london(2026, 4, 21, 9, i),
        )
    assert len(complaint_timeline(story.complaint)) == 23


def test_the_pdf_of_a_23_entry_trail_fits_a4_in_three_pages_within_the_margins(
    client, firm, handler, supervisor
):
    story = audit_story(firm, handler, supervisor)
    _long_trail(story)
    client.force_login(supervisor)
    pdf = client.get(f"/audit/complaints/{story.complaint.pk}/audit.pdf").content

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) <= 3
    reference = story.complaint.reference
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
        text = page.extract_text()
        assert f"Page {number} of {len(pages)}" in text
        assert f"Audit trail of complaint {reference}" in text and "Generated" in text
    # Every character stays inside the page's 12 mm right margin (34 pt), with a hair to spare.
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        limit = page.get_width() - 34 + 1
        chars = page.get_textpage()
        rights = [
            chars.get_charbox(i)[2]
            for i in range(chars.count_chars())
            if not chars.get_text_range(i, 1).isspace()  # line ends the extractor adds
        ]
        assert max(rights) <= limit
    document.close()


def _history_notes(complaint, author, count, start):
    """``count`` notes' history rows, one a minute (written as the services write them, in one
    statement: the chain trigger links each)."""
    history = Note.history.model
    history.objects.bulk_create(
        history(
            id=100_000 + i,
            complaint_id=complaint.pk,
            author_id=author.pk,
            body=f"Chased the custodian ({i}).",
            created_at=start + timedelta(minutes=i),
            history_date=start + timedelta(minutes=i),
            history_type="+",
            history_user_id=author.pk,
            history_change_reason="complaint.note",
        )
        for i in range(count)
    )


def test_user_activity_newest_first_a_page_at_a_time_filtered_by_london_dates(
    client, firm, handler, supervisor, django_assert_max_num_queries
):
    with time_machine.travel(london(2026, 4, 1, 9), tick=False):
        complaint = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), actor=handler)
    client.force_login(supervisor)
    url = f"/audit/users/{handler.pk}/"

    def page(**params):
        return client.get(url, params).content.decode()

    _history_notes(complaint, handler, 10, london(2026, 4, 3, 9))
    with django_assert_max_num_queries(30) as small:
        page()
    _history_notes(complaint, handler, 2 * PAGE_SIZE + 10, london(2026, 4, 6, 9))
    with django_assert_max_num_queries(30) as first:
        html = page()
    with django_assert_max_num_queries(30) as last:
        page(page=3)
    # The same queries whatever the number of rows: a page costs what its kinds of record cost
    # (the oldest page holds the complaint and complainant besides notes, as the small one).
    assert len(small.captured_queries) == len(last.captured_queries)
    assert len(first.captured_queries) <= len(last.captured_queries)

    total = 2 + 10 + 2 * PAGE_SIZE + 10  # the complaint and complainant logged, then the notes
    assert f"{total} changes" in html and "Page 1 of 3" in html
    # Newest first: the last note written heads the first page.
    assert html.index(f"({2 * PAGE_SIZE + 9})") < html.index(f"({2 * PAGE_SIZE + 8})")
    assert html.count('class="audit-entry"') == PAGE_SIZE
    assert 'rel="next"' in html and "page=2" in html

    oldest = page(page=3)
    assert oldest.count('class="audit-entry"') == total - 2 * PAGE_SIZE
    assert "Complaint logged by" in oldest

    # A period of London days: Fri 3 Apr holds the first ten notes only.
    friday = page(date_from="2026-04-03", date_to="2026-04-03")
    assert "10 changes" in friday and friday.count('class="audit-entry"') == 10
    assert "from Fri 3 Apr 2026, to Fri 3 Apr 2026" in friday
