"""``{% queue_row row %}``: one row of the work queue's table, written in Python.

A page shows fifty rows of ten cells; through the template language each cost about 160 µs
(a fifth of the page's CPU), written here about a tenth of that. The cells are what the table's
headings name (``complaints/_queue_results.html``); a complainant's review date, on the few
rows that have one, is the shared ``_vulnerability_review.html`` fragment.
"""

from __future__ import annotations

import html

from django import template
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from common.dates import uk_date
from complaints.selectors.deadlines import NONE
from complaints.selectors.queue import QueueRow

register = template.Library()

DUPLICATE_TITLE = "Same complainant and description as an earlier complaint received within a day"
_DUPLICATE_TITLE = html.escape(DUPLICATE_TITLE)


def _e(value) -> str:
    """``conditional_escape`` without its wrappers: HTML already safe as it is, anything else
    escaped (a row's dozen values cost a ``format_html`` each, a fifth of the row's time)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag(takes_context=True)
def queue_row(context, row: QueueRow) -> SafeString:
    c, d = row.complaint, row.deadline
    person = c.complainant
    if context.get("can_handle"):
        pk, ref = c.pk, _e(c.reference)
        pick = (
            f'<td><input type="checkbox" name="complaint" value="{pk}" form="queue-bulk" '
            f'id="pick-{pk}"><label for="pick-{pk}" class="visually-hidden">Choose {ref}</label>'
            "</td>"
        )
    else:
        pick = ""
    reference = f'<a href="{_e(row.url)}">{_e(c.reference)}</a>'
    if not c.is_complaint:
        reference += ' <span class="tag">Feedback/query</span>'
    if c.likely_duplicate_of_id:
        reference += (
            f' <a class="tag tag--duplicate" href="{_e(row.duplicate_url)}" '
            f'title="{_DUPLICATE_TITLE}">Likely duplicate</a>'
        )
    who = f'<a href="{_e(row.complainant_url)}">{_e(person.name)}</a>'
    if c.complainant_vulnerable:
        who += ' <span class="tag tag--vulnerable">Support needs recorded</span>'
    if c.vulnerability_failure:
        who += ' <span class="tag tag--failure">Failure to respond to vulnerability</span>'
    if person.vulnerability_review_on:
        who += render_to_string(
            "complaints/_vulnerability_review.html",
            {"person": person, "today": context.get("today")},
        )
    status = _e(c.get_status_display())
    if c.regime == "psd_emd":
        status += ' <span class="tag">PSD/EMD</span>'
    owner = (
        _e(c.owner.get_full_name() or c.owner.username)
        if c.owner
        else '<span class="muted">Unassigned</span>'
    )
    deadline = f"<div>{_e(d.text)}</div>"
    if d.urgency != NONE:
        deadline = (
            f'<span class="deadline deadline--{_e(d.urgency)}">{_e(d.urgency_label)}</span>'
            + deadline
        )
    if d.detail:
        deadline += f'<div class="muted small">{_e(d.detail)}</div>'
    task = row.next_task
    if task is not None and task.due_on:
        due = _e(uk_date(task.due_on))
        if task.label:
            due = (
                f'<span class="deadline deadline--{_e(task.urgency)}">{_e(task.label)}</span> '
                + due
            )
    else:
        due = '<span class="muted">None</span>'
    return mark_safe(
        f'<tr class="queue__row queue__row--{_e(d.urgency)}">{pick}<td>{reference}</td>'
        f"<td>{_e(uk_date(c.received_at))}</td><td>{who}</td>"
        f"<td>{_e(c.get_activity_display())}</td><td>{status}</td><td>{owner}</td>"
        f"<td>{deadline}</td><td>{due}</td></tr>"
    )
