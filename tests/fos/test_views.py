"""FOS pages: list with stage filter and open FOS deadlines, detail with actions, logging, fee
ledger, MI, the complaint panel; access (another firm's referral is a 404); query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from complaints.panels import complaint_panels
from fos.choices import Stage
from fos.models import FosDeadline, Referral
from fos.selectors import fos_mi, open_fos_deadlines
from tests.factories import FirmFactory, MembershipFactory, london
from tests.fos.helpers import act, at, drive, log, responded_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    return log(c, handler, referred_on=date(2026, 1, 10), fos_reference="PNX-1")


@pytest.fixture
def other_firm_user():
    return MembershipFactory(firm=FirmFactory(), role="supervisor").user


def _many_referrals(firm, handler, n=4):
    out = []
    for i in range(n):
        c = responded_complaint(firm=firm, actor=handler, received=london(2025, 10, 1 + i, 10))
        r = log(c, handler, referred_on=date(2026, 1, 10))
        r = drive(r, ["start_investigation", "issue_view"], start=date(2026, 1, 10), actor=handler)
        out.append(r)
    return out


def test_list_shows_referrals_filter_and_open_deadlines(client, handler, firm):
    referrals = _many_referrals(firm, handler, 3)
    act(referrals[0], "dispute_view", on=date(2026, 2, 1), actor=handler)
    client.force_login(handler)
    page = client.get(reverse("fos:referrals"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Open FOS deadlines" in body
    assert "Respond to the investigator" in body
    filtered = client.get(reverse("fos:referrals"), {"stage": Stage.OMBUDSMAN_REVIEW})
    assert list(filtered.context["page"]) == [Referral.objects.get(pk=referrals[0].pk)]


def test_list_query_count_is_constant(client, handler, firm, django_assert_max_num_queries):
    _many_referrals(firm, handler, 2)
    client.force_login(handler)
    client.get(reverse("fos:referrals"))  # warm the session and user caches
    with django_assert_max_num_queries(9) as small:
        client.get(reverse("fos:referrals"))
    _many_referrals(firm, handler, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("fos:referrals"))


def test_open_fos_deadlines_selector_for_the_queue(firm, handler, django_assert_num_queries):
    referrals = _many_referrals(firm, handler, 3)
    today = date(2026, 1, 22)
    with django_assert_num_queries(1):
        rows = open_fos_deadlines([firm.pk], today)
    assert len(rows) == 3
    row = rows[0]
    assert row.kind == "fos" and row.label.startswith("FOS: Respond to the investigator")
    assert row.due == referrals[0].view_response_due
    assert row.state in ("soon", "later", "breached")
    assert row.url == reverse("fos:detail", args=[row.referral_id])
    assert open_fos_deadlines([firm.pk], row.due + timedelta(days=1))[0].state == "breached"
    assert open_fos_deadlines([FirmFactory().pk], today) == []


def test_mi_query_count_is_constant_and_figures(firm, handler, django_assert_num_queries):
    refs = _many_referrals(firm, handler, 2)
    act(refs[0], "accept_view", on=date(2026, 2, 1), actor=handler)
    with django_assert_num_queries(4):
        mi = fos_mi([firm.pk], date(2026, 3, 1))
    _many_referrals(firm, handler, 3)
    with django_assert_num_queries(4):
        mi = fos_mi([firm.pk], date(2026, 3, 1))
    assert mi.total == 5
    assert dict((s, n) for s, _, n in mi.by_stage)[Stage.ACCEPTED] == 1
    assert mi.closed == 1
    assert mi.average_days_at_fos == (date(2026, 2, 1) - date(2026, 1, 10)).days
    # The firm did not uphold; every FOS view upheld: all overturned.
    assert (mi.decided, mi.overturned, mi.overturn_rate) == (5, 5, 100.0)
    assert [y.label for y in mi.fees_by_year] == ["2025/26"]
    assert mi.fees_by_year[0].cases == 5 and mi.fees_by_year[0].free_cases_used == 3


def test_detail_shows_checklist_actions_and_fee(client, handler, referral):
    client.force_login(handler)
    page = client.get(reverse("fos:detail", args=[referral.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Jurisdiction checklist" in body and "DISP 2.8.2R(1)" in body
    assert "Investigation started" in body
    assert "Download FOS case file" in body


def test_action_through_the_page(client, handler, referral):
    client.force_login(handler)
    url = reverse("fos:action", args=[referral.pk, "start_investigation"])
    response = client.post(
        url,
        {"on": "2026-01-12", "note": "Investigator assigned", "expected_version": referral.version},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Stage.INVESTIGATION
    assert referral.stages.last().note == "Investigator assigned"


def test_refused_action_shows_the_rule_and_changes_nothing(client, handler, referral):
    client.force_login(handler)
    response = client.post(reverse("fos:action", args=[referral.pk, "refer_back"]), {}, follow=True)
    assert "DISP 3.2.2R" in response.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRED


def test_bad_action_input_rerenders_with_the_field_error(client, handler, referral):
    drive(referral, ["start_investigation"], start=date(2026, 1, 10), actor=handler)
    client.force_login(handler)
    response = client.post(
        reverse("fos:action", args=[referral.pk, "issue_view"]), {"outcome": "maybe"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_log_referral_from_the_complaint(client, handler, firm):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    client.force_login(handler)
    url = reverse("fos:log", args=[c.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"referred_on": "2026-01-10", "referred_by": "professional_representative"}
    )
    assert bad.status_code == 400 and "Name the professional representative" in bad.content.decode()
    assert not Referral.objects.exists()
    ok = client.post(
        url, {"referred_on": "2026-01-10", "referred_by": "complainant", "fos_reference": "PNX-77"}
    )
    referral = Referral.objects.get()
    assert ok.url == reverse("fos:detail", args=[referral.pk])
    assert referral.history.first().history_user == handler


def test_deadline_add_and_done_and_award_and_consent_pages(client, handler, referral):
    client.force_login(handler)
    client.post(
        reverse("fos:deadline_add", args=[referral.pk]),
        {"description": "Send the file", "due_on": "2026-01-24", "source": "FOS email"},
    )
    deadline = FosDeadline.objects.get(referral=referral)
    client.post(reverse("fos:deadline_done", args=[deadline.pk]))
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    client.post(reverse("fos:consent", args=[referral.pk]), {"confirm": "on"})
    referral.refresh_from_db()
    assert referral.complaint.consents_to_waive_time_limits
    drive(referral, ["start_investigation", "issue_view"], start=date(2026, 1, 10), actor=handler)
    client.post(
        reverse("fos:award", args=[referral.pk]), {"amount": "1500.00", "directions": "Refund fees"}
    )
    referral.refresh_from_db()
    assert referral.award_amount == 1500 and referral.award_limit == 445000


def test_fee_ledger_and_mi_pages(client, handler, firm):
    _many_referrals(firm, handler, 4)
    client.force_login(handler)
    ledger = client.get(reverse("fos:fees"))
    assert ledger.status_code == 200
    body = ledger.content.decode()
    assert "2025/26" in body and "£650.00" in body and "Free" in body
    assert client.get(reverse("fos:mi")).status_code == 200
    assert client.get(reverse("fos:fees"), {"firm": FirmFactory().pk}).status_code == 404


def test_another_firms_referral_is_a_404(client, referral, other_firm_user):
    client.force_login(other_firm_user)
    assert client.get(reverse("fos:detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("fos:case_file", args=[referral.pk])).status_code == 404
    assert client.post(reverse("fos:action", args=[referral.pk, "pre_register"])).status_code == 404
    assert client.get(reverse("fos:log", args=[referral.complaint_id])).status_code == 404
    page = client.get(reverse("fos:referrals"))
    assert list(page.context["page"]) == []


def test_reading_role_cannot_act(client, firm, referral):
    reporting = MembershipFactory(firm=firm, role="reporting_officer").user
    client.force_login(reporting)
    assert client.get(reverse("fos:detail", args=[referral.pk])).status_code == 200
    assert (
        "Next stage" not in client.get(reverse("fos:detail", args=[referral.pk])).content.decode()
    )
    response = client.post(reverse("fos:action", args=[referral.pk, "pre_register"]), {})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRED


def test_case_file_download(client, handler, referral):
    client.force_login(handler)
    response = client.get(reverse("fos:case_file", args=[referral.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "PNX-1.zip" in response["Content-Disposition"]


def test_complaint_panel_is_registered_and_renders(rf, handler, referral):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = handler
    request.session = {}
    panels = {p.key: (p, ctx) for p, ctx in complaint_panels(request, referral.complaint)}
    panel, ctx = panels["fos"]
    assert ctx["referrals"] == [referral] and ctx["can_log"] is False
    html = render_to_string(panel.template, ctx, request=request)
    assert "FOS PNX-1" in html


def test_panel_offers_logging_when_not_referred(rf, handler, firm):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    request = rf.get("/")
    request.user = handler
    (ctx,) = [ctx for p, ctx in complaint_panels(request, c) if p.key == "fos"]
    assert ctx["can_log"] is True


def test_stage_dates_are_uk_formatted_on_the_detail_page(client, handler, referral):
    client.force_login(handler)
    body = client.get(reverse("fos:detail", args=[referral.pk])).content.decode()
    assert "Sat 10 Jan 2026" in body
    assert at(date(2026, 1, 10))  # helper sanity: aware datetime


def test_fee_ledger_query_count_is_constant_at_2_and_6_cases(
    client, handler, firm, django_assert_num_queries, django_assert_max_num_queries
):
    """Issue 18: every page that lists rows is guarded (the ledger reads in two queries)."""
    from tests.fos.test_fees import _chargeable

    for month in (5, 6):
        _chargeable(firm, handler, date(2025, month, 1))
    client.force_login(handler)
    client.get(reverse("fos:fees"))  # warm the session and user caches
    with django_assert_max_num_queries(50) as small:
        client.get(reverse("fos:fees"))
    for month in (7, 8, 9, 10):
        _chargeable(firm, handler, date(2025, month, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(reverse("fos:fees"))
    assert len(page.context["years"][0].lines) == 6
