"""``{% queue_row row %}``: one row of the work queue's table, written in Python.

A page shows fifty rows of ten cells; through the template language each cost about 160 µs
(a fifth of the page's CPU), written here about a tenth of that. The cells are what the table's
headings name (``complaints/_queue_results.html``); a complainant's review date, on the few
rows that have one, is the shared ``_vulnerability_review.html`` fragment.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from common.dates import uk_date
from complaints.selectors.deadlines import NONE
from complaints.selectors.queue import QueueRow

register = template.Library()

DUPLICATE_TITLE = "Same complainant and description as an earlier complaint received within a day"


@register.simple_tag(takes_context=True)
def queue_row(context, row: QueueRow) -> SafeString:
    c, d = row.complaint, row.deadline
    person = c.complainant
    pick = (
        format_html(
            '<td><input type="checkbox" name="complaint" value="{}" form="queue-bulk" '
            'id="pick-{}"><label for="pick-{}" class="visually-hidden">Choose {}</label></td>',
            c.pk,
            c.pk,
            c.pk,
            c.reference,
        )
        if context.get("can_handle")
        else ""
    )
    reference = format_html('<a href="{}">{}</a>', row.url, c.reference)
    if not c.is_complaint:
        reference += mark_safe(' <span class="tag">Feedback/query</span>')
    if c.likely_duplicate_of_id:
        reference += format_html(
            ' <a class="tag tag--duplicate" href="{}" title="{}">Likely duplicate</a>',
            row.duplicate_url,
            DUPLICATE_TITLE,
        )
    who = format_html('<a href="{}">{}</a>', row.complainant_url, person.name)
    if c.complainant_vulnerable:
        who += mark_safe(' <span class="tag tag--vulnerable">Support needs recorded</span>')
    if c.vulnerability_failure:
        who += mark_safe(
            ' <span class="tag tag--failure">Failure to respond to vulnerability</span>'
        )
    if person.vulnerability_review_on:
        who += render_to_string(
            "complaints/_vulnerability_review.html",
            {"person": person, "today": context.get("today")},
        )
    status = format_html("{}", c.get_status_display())
    if c.regime == "psd_emd":
        status += mark_safe(' <span class="tag">PSD/EMD</span>')
    owner = (
        format_html("{}", c.owner.get_full_name() or c.owner.username)
        if c.owner
        else mark_safe('<span class="muted">Unassigned</span>')
    )
    deadline = format_html("<div>{}</div>", d.text)
    if d.urgency != NONE:
        deadline = (
            format_html('<span class="deadline deadline--{}">{}</span>', d.urgency, d.urgency_label)
            + deadline
        )
    if d.detail:
        deadline += format_html('<div class="muted small">{}</div>', d.detail)
    task = row.next_task
    if task is not None and task.due_on:
        due = format_html("{}", uk_date(task.due_on))
        if task.label:
            due = (
                format_html(
                    '<span class="deadline deadline--{}">{}</span> ', task.urgency, task.label
                )
                + due
            )
    else:
        due = mark_safe('<span class="muted">None</span>')
    return format_html(
        '<tr class="queue__row queue__row--{}">{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        d.urgency,
        pick,
        reference,
        uk_date(c.received_at),
        who,
        c.get_activity_display(),
        status,
        owner,
        deadline,
        due,
    )
