"""``{% queue_row %}`` writes a row's HTML by hand: every kind of cell, escaped as the template
language escapes it (the bytes the template row gave, kept here as the expected text)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.template import Context, Template

from complaints.models import Complainant, Complaint
from complaints.selectors.deadlines import DeadlineView
from complaints.selectors.queue import QueueRow
from complaints.selectors.tasks import NextTask

ROW = Template("{% load queue_rows %}{% queue_row row %}")
WHEN = datetime(2026, 6, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))


EXPECTED_FULL = (
    '<tr class="queue__row queue__row--soon"><td><input type="checkbox" name="complaint" '
    'value="41" form="queue-bulk" id="pick-41"><label for="pick-41" class="visually-hidde'
    'n">Choose CR-&lt;41&gt;</label></td><td><a href="/complaints/41/">CR-&lt;41&gt;</a> '
    '<span class="tag">Feedback/query</span> <a class="tag tag--duplicate" href="/complai'
    'nts/40/" title="Same complainant and description as an earlier complaint received wi'
    'thin a day">Likely duplicate</a></td><td>Mon 1 Jun 2026</td><td><a href="/complainan'
    'ts/7/">O&#x27;Brien &amp; &lt;Sons&gt;</a> <span class="tag tag--vulnerable">Support'
    ' needs recorded</span> <span class="tag tag--failure">Failure to respond to vulnerab'
    'ility</span><p class="small">Review due Fri 1 May 2026 <span class="tag tag--overdue'
    '">Review overdue</span></p>\n</td><td>Other (not a regulated cryptoasset activity)</t'
    'd><td>Investigating <span class="tag">PSD/EMD</span></td><td>Ann &quot;A&quot; &lt;L'
    'ee&gt;</td><td><span class="deadline deadline--soon">Due soon</span><div>3 business '
    'days &amp; more</div><div class="muted small">Final &lt;response&gt;</div></td><td><'
    'span class="deadline deadline--soon">Due today</span> Tue 2 Jun 2026</td></tr>'
)

EXPECTED_PLAIN = (
    '<tr class="queue__row queue__row--none"><td><a href="/complaints/41/">CR-&lt;41&gt;<'
    '/a></td><td>Mon 1 Jun 2026</td><td><a href="/complainants/7/">O&#x27;Brien &amp; &lt'
    ";Sons&gt;</a></td><td>Other (not a regulated cryptoasset activity)</td><td>Investiga"
    'ting</td><td><span class="muted">Unassigned</span></td><td><div>No deadline</div></t'
    'd><td><span class="muted">None</span></td></tr>'
)


def _row(**complaint) -> QueueRow:
    person = Complainant(pk=7, name="O'Brien & <Sons>", vulnerability_review_on=date(2026, 5, 1))
    owner = get_user_model()(pk=3, username="h&1", first_name='Ann "A"', last_name="<Lee>")
    c = Complaint(
        pk=41,
        reference="CR-<41>",
        received_at=WHEN,
        status="investigating",
        activity="other",
        **complaint,
    )
    c.complainant, c.owner = person, owner
    return QueueRow(
        c,
        DeadlineView("3 business days & more", detail="Final <response>", urgency="soon"),
        NextTask(date(2026, 6, 2), "soon"),
        url="/complaints/41/",
        complainant_url="/complainants/7/",
        duplicate_url="/complaints/40/" if c.likely_duplicate_of_id else "",
    )


def test_every_cell_of_a_row_in_python_as_the_template_gave_it():
    row = _row(
        is_complaint=False,
        likely_duplicate_of_id=40,
        complainant_vulnerable=True,
        vulnerability_failure=True,
        regime="psd_emd",
    )
    html = ROW.render(Context({"row": row, "can_handle": True, "today": date(2026, 6, 1)}))
    assert html == EXPECTED_FULL


def test_a_plain_row_without_the_pick_column():
    row = _row(is_complaint=True)
    row.complaint.owner = None
    row.complaint.complainant.vulnerability_review_on = None
    plain = QueueRow(
        row.complaint,
        DeadlineView("No deadline"),
        NextTask(None, "none"),
        url=row.url,
        complainant_url=row.complainant_url,
    )
    html = ROW.render(Context({"row": plain, "can_handle": False}))
    assert html == EXPECTED_PLAIN
