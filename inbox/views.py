"""The supervisor's inbox: one page of what needs the firm's attention (read-only, GET only).

``/inbox/`` shows every section the user's role sees in the selected firm, each with its count
and its first rows, and "and N more" linking to ``/inbox/?section=<key>``: that section in full,
paginated. A section the role does not see is a 404, like an unknown one. ``/inbox/count/``
is the navigation's badge (the same count), fetched by htmx after the page loads.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complaints.access import FirmRequest, require_perm

from .sections import (
    BY_KEY,
    INBOX_PERM,
    InboxScope,
    Section,
    section_counts,
    visible_sections,
)

# Rows shown per section on the inbox page; the rest are one link away.
CAP = 10
PAGE_SIZE = 50


def _scope(request: FirmRequest) -> tuple[InboxScope, list[Section]]:
    membership = request.membership
    assert membership is not None  # require_perm: the selected firm's role holds INBOX_PERM
    return InboxScope(firm=membership.firm, now=timezone.now()), visible_sections(membership.role)


@require_perm(INBOX_PERM)
@require_GET
def inbox_count(request: FirmRequest) -> HttpResponse:
    """The navigation's badge: how many items the inbox holds for this user (one counting
    query, and the firm's calendar when a near-breach section is shown)."""
    scope, sections = _scope(request)
    count = sum(section_counts(sections, scope).values())
    return render(request, "inbox/_count.html", {"count": count})


@require_perm(INBOX_PERM)
@require_GET
def inbox(request: FirmRequest) -> HttpResponse:
    scope, sections = _scope(request)
    firm = scope.firm
    key = request.GET.get("section")
    if key is not None:
        section = BY_KEY.get(key)
        if section is None or section not in sections:
            raise Http404("No such section.")
        page = Paginator(section.rows(scope), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "inbox/section.html",
            {
                "section": section,
                "page": page,
                "items": [section.item(row, scope) for row in page.object_list],
                "firm": firm,
            },
        )
    counts = section_counts(sections, scope)
    shown = [
        {
            "section": s,
            "count": counts[s.key],
            "items": [s.item(row, scope) for row in s.rows(scope)[:CAP]] if counts[s.key] else [],
            "more": max(counts[s.key] - CAP, 0),
        }
        for s in sections
    ]
    return render(
        request,
        "inbox/index.html",
        {"sections": shown, "total": sum(counts.values()), "firm": firm},
    )
