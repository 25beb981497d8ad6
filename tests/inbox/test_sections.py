"""The supervisor's inbox: what each section holds and what it leaves out, the links to where
each item is dealt with, and one firm's inbox never shows another's rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Firm
from fos.services import fos_deadline_add, fos_deadline_complete
from inbox.sections import BY_KEY, InboxScope, section_counts
from letters import services as letters
from reporting.services import return_approve, return_compute
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint
from tests.fos.helpers import at, log, responded_complaint
from tests.reporting.helpers import load_snapshot, position

from .helpers import letter_draft, submitted_letter

pytestmark = pytest.mark.django_db

NOW = london(2027, 6, 9, 10)  # Wed 9 Jun 2027: "near" runs to Fri 11 Jun (2 business days)


def _keys(section: str, firm: Firm, now=NOW) -> list[int]:
    scope = InboxScope(firm=firm, now=now)
    return list(BY_KEY[section].rows(scope).values_list("pk", flat=True))


def test_breached_and_near_sections_follow_the_response_date(firm, handler):
    """Breached: an open complaint's DISP response date has passed. Near breach: it falls today
    or within the queue's two-business-day band. A missed SRC window is not a breach
    (DISP 1.5.1R: every complaint here missed it); a later date, an answered complaint and another
    firm's complaint are in neither."""
    breached = make_complaint(firm=firm, received_at=london(2027, 4, 1, 10))
    near = make_complaint(firm=firm, received_at=london(2027, 4, 15, 10))
    later = make_complaint(firm=firm, received_at=london(2027, 5, 20, 10))
    answered = make_complaint(firm=firm, received_at=london(2027, 3, 1, 10), actor=handler)
    services.complaint_acknowledge(
        complaint_id=answered.pk, actor=handler, now=london(2027, 3, 2, 9)
    )
    services.complaint_withdraw(complaint_id=answered.pk, actor=handler, now=london(2027, 3, 3, 9))
    other = make_complaint(firm=FirmFactory(), received_at=london(2027, 4, 1, 10))
    assert breached.response_deadline < NOW.date()
    assert NOW.date() <= near.response_deadline <= date(2027, 6, 11)
    assert later.response_deadline > date(2027, 6, 11)

    assert _keys("breached", firm) == [breached.pk]
    assert _keys("near", firm) == [near.pk]
    assert other.pk in _keys("breached", other.firm)
    # The day after the near one's date it has breached.
    day_after = london(2027, 6, 11, 10) + timedelta(days=(near.response_deadline - NOW.date()).days)
    assert near.pk in _keys("breached", firm, now=day_after)


def test_unassigned_holds_open_complaints_nobody_owns(firm, handler):
    nobody = make_complaint(firm=firm, received_at=london(2027, 6, 1, 10))
    owned = make_complaint(firm=firm, received_at=london(2027, 6, 1, 11), owner_id=handler.pk)
    closed = make_complaint(firm=firm, received_at=london(2027, 6, 1, 12))
    services.complaint_withdraw(complaint_id=closed.pk, actor=handler, now=london(2027, 6, 2, 9))
    make_complaint(firm=FirmFactory(), received_at=london(2027, 6, 1, 10))
    assert _keys("unassigned", firm) == [nobody.pk]
    services.complaint_assign(complaint_id=nobody.pk, actor=handler, now=NOW, owner_id=handler.pk)
    assert _keys("unassigned", firm) == []
    assert owned.pk not in _keys("unassigned", firm)


def test_letters_section_holds_letters_submitted_and_not_yet_approved(firm, handler, supervisor):
    waiting = submitted_letter(firm, handler, london(2027, 5, 3, 10))
    approved = submitted_letter(firm, handler, london(2027, 5, 4, 10))
    letters.letter_approve(letter_id=approved.pk, actor=supervisor, now=london(2027, 5, 20, 9))
    letter_draft(firm, handler, london(2027, 5, 5, 10))  # a draft is not awaiting anyone
    elsewhere = FirmFactory()
    submitted_letter(
        elsewhere, MembershipFactory(firm=elsewhere, role="handler").user, london(2027, 5, 3, 10)
    )
    assert _keys("letters", firm) == [waiting.pk]
    returned = letters.letter_return_to_drafter(
        letter_id=waiting.pk, actor=supervisor, now=london(2027, 5, 20, 9), note="Say more."
    )
    assert _keys("letters", firm) == [] and returned.pk == waiting.pk


def test_returns_section_holds_returns_whose_latest_version_is_a_draft(firm):
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    approver = MembershipFactory(firm=firm, role="supervisor").user
    now = london(2028, 7, 20, 9)
    load_snapshot(firm, date(2028, 3, 31), [position("A", "A1")])
    load_snapshot(firm, date(2028, 6, 30), [position("A", "A1")])
    q1 = return_compute(firm=firm, period_end=date(2028, 3, 31), actor=officer, now=now)
    q2 = return_compute(firm=firm, period_end=date(2028, 6, 30), actor=officer, now=now)
    scope_keys = _keys("returns", firm, now=now)
    assert scope_keys == [q1.sup16_return_id, q2.sup16_return_id]  # earliest due first
    return_approve(return_id=q1.sup16_return_id, version=q1.number, actor=approver, now=now)
    assert _keys("returns", firm, now=now) == [q2.sup16_return_id]
    # A recompute after approval is a new draft: awaiting approval again.
    return_compute(firm=firm, period_end=date(2028, 3, 31), actor=officer, now=now)
    assert set(_keys("returns", firm, now=now)) == {q1.sup16_return_id, q2.sup16_return_id}
    assert _keys("returns", FirmFactory(), now=now) == []


def test_fos_section_holds_open_deadlines_of_the_current_uk_week(firm, handler):
    """Monday to Sunday of the week of today in London; met deadlines are gone."""
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2026, 1, 10), fos_reference="PNX-1")

    def add(day: date, what: str = "Send the case file"):
        return fos_deadline_add(
            referral_id=referral.pk,
            actor=handler,
            now=at(date(2026, 1, 12)),
            description=what,
            due_on=day,
        )

    monday, sunday = add(date(2026, 1, 19)), add(date(2026, 1, 25))
    add(date(2026, 1, 18))  # last week's Sunday
    add(date(2026, 1, 26))  # next week's Monday
    met = add(date(2026, 1, 22))
    fos_deadline_complete(deadline_id=met.pk, actor=handler, now=at(date(2026, 1, 13)))
    now = london(2026, 1, 21, 10)  # Wed 21 Jan 2026
    assert _keys("fos_week", firm, now=now) == [monday.pk, sunday.pk]
    # Late on Sunday evening in London (already Monday in no time zone that matters) is still
    # that week.
    assert _keys("fos_week", firm, now=london(2026, 1, 25, 23, 30)) == [monday.pk, sunday.pk]
    assert _keys("fos_week", FirmFactory(), now=now) == []


def test_the_page_shows_counts_links_colours_and_uk_dates(client, firm, handler, supervisor):
    breached = make_complaint(firm=firm, received_at=london(2027, 4, 1, 10))
    letter = submitted_letter(firm, handler, london(2027, 5, 3, 10))
    other = make_complaint(
        firm=FirmFactory(name="Elsewhere Ltd"), received_at=london(2027, 4, 1, 10)
    )
    with time_machine.travel(NOW, tick=False):
        client.force_login(supervisor)
        page = client.get(reverse("inbox:index"))
    assert page.status_code == 200
    body = page.content.decode()
    sections = {s["section"].key: s for s in page.context["sections"]}
    assert set(sections) == {"letters", "breached", "near", "unassigned", "returns", "fos_week"}
    assert sections["breached"]["count"] == 1 and sections["letters"]["count"] == 1
    assert reverse("complaints:detail", args=[breached.pk]) in body
    assert reverse("letters:letter", args=[letter.pk]) in body
    assert "deadline deadline--breached" in body
    assert f"Response due {breached.response_deadline:%a} {breached.response_deadline.day} " in body
    assert other.reference not in body and "Elsewhere Ltd" not in body
    # The navigation counts the same items the page lists.
    with time_machine.travel(NOW, tick=False):
        badge = client.get(reverse("inbox:count")).content.decode()
    assert f">{page.context['total']}</span>" in badge


def test_a_long_section_is_capped_with_a_link_to_its_full_paginated_list(client, firm, supervisor):
    for day in range(12):
        make_complaint(firm=firm, received_at=london(2027, 6, 1, 8) + timedelta(minutes=day))
    with time_machine.travel(NOW, tick=False):
        client.force_login(supervisor)
        page = client.get(reverse("inbox:index"))
        unassigned = next(s for s in page.context["sections"] if s["section"].key == "unassigned")
        assert (unassigned["count"], len(unassigned["items"]), unassigned["more"]) == (12, 10, 2)
        assert 'href="?section=unassigned">and 2 more' in page.content.decode()
        full = client.get(reverse("inbox:index"), {"section": "unassigned"})
        assert full.status_code == 200 and len(full.context["items"]) == 12
        assert client.get(reverse("inbox:index"), {"section": "nonsense"}).status_code == 404


def test_count_is_one_query_whatever_the_rows(firm, handler, django_assert_num_queries):
    for day in range(3):
        make_complaint(firm=firm, received_at=london(2027, 4, 1, 10) + timedelta(days=day))
    scope = InboxScope(firm=firm, now=NOW)
    scope.calendar  # noqa: B018 - read once, as the page does for the near band
    with django_assert_num_queries(1):
        counts = section_counts(list(BY_KEY.values()), scope)
    assert counts["breached"] == 3 and counts["unassigned"] == 3
    assert timezone.is_aware(NOW)
