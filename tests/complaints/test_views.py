"""The complaint handler's web UI through the Django test client: sign-in and firms, isolation,
the complaint page's actions and conflicts, and the calculator (the log form:
test_views_log.py)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from complaints import services
from complaints.choices import Outcome, Role, Status
from tests.confirming import confirm_letters
from tests.factories import (
    ComplainantFactory,
    FirmFactory,
    MembershipFactory,
    london,
    make_complaint,
)

pytestmark = pytest.mark.django_db

E1_RECEIVED = london(2026, 4, 2, 16, 0)  # Thu 2 Apr 2026 16:00, England (disp-rules E1)


@pytest.fixture
def client_for(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def e1(firm, handler):
    return make_complaint(firm=firm, received_at=E1_RECEIVED, actor=handler, owner_id=handler.pk)


# --- sign-in and firms ---------------------------------------------------------------------


def test_every_page_requires_sign_in(client, e1):
    for url in (
        reverse("complaints:queue"),
        reverse("complaints:create"),
        reverse("complaints:detail", args=[e1.pk]),
        reverse("complaints:calculator"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_sign_in_form_has_labelled_inputs_and_signs_in(client, handler):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_username"' in html and '<label for="id_password"' in html
    response = client.post(
        reverse("login"), {"username": handler.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("complaints:queue")).status_code == 200


def test_user_in_several_firms_picks_a_firm_after_sign_in(client_for, firm):
    other = FirmFactory(name="Second Exchange Ltd")
    member = MembershipFactory(firm=firm, role=Role.HANDLER)
    MembershipFactory(user=member.user, firm=other, role=Role.SUPERVISOR)
    client = client_for(member.user)

    response = client.get(reverse("complaints:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("complaints:pick_firm"))
    picker = client.get(response["Location"])
    assert "Second Exchange Ltd" in picker.content.decode()

    switched = client.post(reverse("complaints:switch_firm"), {"firm_id": other.pk, "next": "/"})
    assert switched.status_code == 302
    assert client.session["firm_id"] == other.pk
    assert "Second Exchange Ltd" in client.get("/").content.decode()


def test_switch_firm_refuses_a_firm_the_user_does_not_belong_to(client_for, handler):
    stranger = FirmFactory()
    response = client_for(handler).post(reverse("complaints:switch_firm"), {"firm_id": stranger.pk})
    assert response.status_code == 404
    assert "firm_id" not in client_for(handler).session


def test_switch_firm_ignores_an_off_site_next(client_for, firm, handler):
    response = client_for(handler).post(
        reverse("complaints:switch_firm"), {"firm_id": firm.pk, "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


# --- firm isolation ------------------------------------------------------------------------


def test_another_firms_complaint_is_a_404_everywhere(client_for, handler):
    other_firm = FirmFactory()
    theirs = make_complaint(firm=other_firm, received_at=E1_RECEIVED)
    client = client_for(handler)
    assert client.get(reverse("complaints:detail", args=[theirs.pk])).status_code == 404
    post = {"expected_version": theirs.version, "method": "email"}
    assert (
        client.post(reverse("complaints:act", args=[theirs.pk, "acknowledge"]), post).status_code
        == 404
    )
    assert client.post(reverse("complaints:assign", args=[theirs.pk]), {}).status_code == 404
    assert (
        client.post(reverse("complaints:add_note", args=[theirs.pk]), {"body": "x"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == Status.RECEIVED and not theirs.notes.exists()


def test_queue_never_lists_another_firms_complaints(client_for, firm, handler):
    other_firm = FirmFactory()
    make_complaint(firm=other_firm, received_at=E1_RECEIVED, reference="OTHER-1")
    make_complaint(firm=firm, received_at=E1_RECEIVED, reference="MINE-1")
    with time_machine.travel(london(2026, 4, 3, 9), tick=False):
        html = client_for(handler).get("/?tab=team").content.decode()
    assert "MINE-1" in html and "OTHER-1" not in html


def test_complainant_lookup_is_scoped_to_the_current_firm(client_for, firm, handler):
    ComplainantFactory(firm=firm, name="Ada Lovelace")
    ComplainantFactory(firm=FirmFactory(), name="Ada Byron")
    html = (
        client_for(handler)
        .get(reverse("complaints:complainant_lookup"), {"complainant_search": "Ada"})
        .content.decode()
    )
    assert "Ada Lovelace" in html and "Ada Byron" not in html


# --- the complaint page ---------------------------------------------------------------------


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_complaint_page_shows_every_deadline_with_rule_and_countdown(client_for, handler, e1):
    html = client_for(handler).get(reverse("complaints:detail", args=[e1.pk])).content.decode()
    for text in (
        "Thu 9 Apr 2026, close of business",
        "DISP 1.5.1R",
        "Thu 28 May 2026",
        "DISP 1.6.2R",
        "DISP 2.8.1R(2)",
        # Fri 3 Apr (Good Friday) to Thu 9 Apr: Tue 7, Wed 8, Thu 9.
        "3 business days left",
    ):
        assert text in html, text


@time_machine.travel(london(2026, 4, 9, 17, 30), tick=False)
def test_disabled_action_shows_the_disp_reason(client_for, handler, e1):
    """DISP 1.5.1R: after close of business on the 3rd business day the SRC is refused; the
    button is shown disabled with the reason."""
    response = client_for(handler).get(reverse("complaints:detail", args=[e1.pk]))
    html = response.content.decode()
    assert "SRC deadline passed on Thu 9 Apr 2026, close of business" in html
    resolve = next(a for a in response.context["actions"] if a.spec.name == "resolve_summary")
    assert not resolve.enabled
    assert 'disabled aria-describedby="why-resolve_summary"' in html


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_acknowledge_from_the_page(client_for, handler, e1):
    response = confirm_letters(
        client_for(handler),
        reverse("complaints:act", args=[e1.pk, "acknowledge"]),
        {"expected_version": e1.version, "method": "post"},
    )
    assert response.status_code == 302
    e1.refresh_from_db()
    assert e1.status == Status.ACKNOWLEDGED
    assert e1.communications.get().method == "post"


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_stale_page_gets_the_conflict_message_and_the_fresh_state(client_for, handler, e1):
    """Someone else acted first: the stale POST is refused with a clear banner, never a 500,
    and the page shows the complaint as it now is."""
    stale_version = e1.version
    services.complaint_acknowledge(complaint_id=e1.pk, actor=handler, now=london(2026, 4, 3, 8, 30))
    response = client_for(handler).post(
        reverse("complaints:act", args=[e1.pk, "start_investigation"]),
        {"expected_version": stale_version},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this complaint after you opened it" in html
    assert "now shows its current state: acknowledged" in html
    e1.refresh_from_db()
    assert e1.status == Status.ACKNOWLEDGED and e1.version == stale_version + 1
    assert response.context["complaint"].version == e1.version


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_stale_assignment_is_a_conflict_not_an_error(client_for, firm, handler, e1):
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    response = client_for(handler).post(
        reverse("complaints:assign", args=[e1.pk]),
        {"expected_version": e1.version - 1 if e1.version > 1 else 99, "owner": colleague.pk},
    )
    assert response.status_code == 200
    assert "Someone else changed this complaint" in response.content.decode()
    e1.refresh_from_db()
    assert e1.owner == handler


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_irreversible_action_asks_for_confirmation_first(client_for, handler, e1):
    client = client_for(handler)
    url = reverse("complaints:act", args=[e1.pk, "resolve_summary"])
    data = {"expected_version": e1.version, "method": "email", "outcome": Outcome.UPHELD}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm: Resolve by SRC" in html and "Yes, record the SRC as sent" in html
    e1.refresh_from_db()
    assert e1.status == Status.RECEIVED

    digest = response.context["digest"]
    response = client.post(url, {**data, "confirmed": "yes", "letter_digest": digest})
    assert response.status_code == 302
    e1.refresh_from_db()
    assert e1.status == Status.RESOLVED_SUMMARY and e1.outcome == Outcome.UPHELD


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_final_response_needs_an_outcome(client_for, handler, e1):
    """DISP 1.6.2R(1): a final response states an outcome; the form says so on the field."""
    services.complaint_acknowledge(complaint_id=e1.pk, actor=handler, now=london(2026, 4, 3, 8))
    e1.refresh_from_db()
    response = client_for(handler).post(
        reverse("complaints:act", args=[e1.pk, "send_final_response"]),
        {"expected_version": e1.version, "method": "email", "confirmed": "yes"},
    )
    assert response.status_code == 200
    final = next(a for a in response.context["actions"] if a.spec.name == "send_final_response")
    assert final.is_open and "outcome" in final.form.errors
    e1.refresh_from_db()
    assert e1.status == Status.ACKNOWLEDGED


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_service_field_errors_are_shown_on_the_action_form(client_for, handler, e1):
    """A communication cannot be recorded as sent in the future (service rule)."""
    response = client_for(handler).post(
        reverse("complaints:act", args=[e1.pk, "acknowledge"]),
        {"expected_version": e1.version, "method": "email", "sent_at": "2026-04-04T09:00"},
    )
    assert response.status_code == 200
    ack = next(a for a in response.context["actions"] if a.spec.name == "acknowledge")
    assert ack.form.errors["sent_at"] == ["Must not be later than now."]


@time_machine.travel(london(2026, 4, 10, 9), tick=False)
def test_refused_action_shows_the_rule_not_a_500(client_for, handler, e1):
    response = client_for(handler).post(
        reverse("complaints:act", args=[e1.pk, "resolve_summary"]),
        {
            "expected_version": e1.version,
            "method": "email",
            "outcome": Outcome.UPHELD,
            "confirmed": "yes",
        },
    )
    assert response.status_code == 200
    assert "SRC deadline passed on Thu 9 Apr 2026" in response.content.decode()
    e1.refresh_from_db()
    assert e1.status == Status.RECEIVED


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_reporting_officer_sees_the_page_read_only(client_for, firm, e1):
    officer = MembershipFactory(firm=firm, role=Role.REPORTING_OFFICER).user
    client = client_for(officer)
    response = client.get(reverse("complaints:detail", args=[e1.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Read-only: your role (Reporting officer)" in html
    assert not any(a.enabled for a in response.context["actions"])
    assert reverse("complaints:add_note", args=[e1.pk]) not in html
    denied = client.post(
        reverse("complaints:act", args=[e1.pk, "acknowledge"]),
        {"expected_version": e1.version, "method": "email"},
    )
    assert denied.status_code == 403
    e1.refresh_from_db()
    assert e1.status == Status.RECEIVED


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_only_a_supervisor_may_reopen(client_for, firm, handler, supervisor, e1):
    services.complaint_resolve_summary(
        complaint_id=e1.pk, actor=handler, now=london(2026, 4, 3, 8), outcome=Outcome.UPHELD
    )
    e1.refresh_from_db()
    url = reverse("complaints:act", args=[e1.pk, "reopen"])
    data = {"expected_version": e1.version, "reason": "New evidence"}
    assert client_for(handler).post(url, data).status_code == 403
    assert client_for(supervisor).post(url, data).status_code == 302
    e1.refresh_from_db()
    assert e1.status == Status.INVESTIGATING


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_assign_and_note_then_timeline_shows_who_what_and_the_diff(client_for, firm, handler):
    e1 = make_complaint(firm=firm, received_at=E1_RECEIVED, actor=handler, owner_id=handler.pk)
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    colleague.first_name, colleague.last_name = "Tom", "Baines"
    colleague.save()
    client = client_for(handler)
    client.post(
        reverse("complaints:assign", args=[e1.pk]),
        {"expected_version": e1.version, "owner": colleague.pk},
    )
    client.post(reverse("complaints:add_note", args=[e1.pk]), {"body": "Called the customer."})
    e1.refresh_from_db()
    assert e1.owner == colleague
    response = client.get(reverse("complaints:detail", args=[e1.pk]))
    timeline = response.context["timeline"]
    whats = [entry.what for entry in timeline]
    assert whats[-1] == "Logged the complaint"
    assert "Changed the owner" in whats and "Added an internal note" in whats
    assign = next(entry for entry in timeline if entry.what == "Changed the owner")
    assert assign.who == handler.get_full_name()
    owner_change = next(c for c in assign.changes if c.label == "Owner")
    assert (owner_change.before, owner_change.after) == (handler.get_full_name(), "Tom Baines")
    assert "Called the customer." in response.content.decode()


def test_empty_note_is_refused_on_the_field(client_for, handler, e1):
    response = client_for(handler).post(reverse("complaints:add_note", args=[e1.pk]), {"body": " "})
    assert response.status_code == 200
    assert response.context["note_form"].errors["body"] == ["Required."]
    assert not e1.notes.exists()


def test_timeline_is_not_n_plus_one(client_for, handler, e1, django_assert_num_queries):
    """The complaint page costs the same number of queries with a long history."""
    client = client_for(handler)
    url = reverse("complaints:detail", args=[e1.pk])
    with time_machine.travel(london(2026, 4, 3, 9), tick=False):
        client.get(url)  # warm the session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as short:
            client.get(url)
        now = london(2026, 4, 3, 9)
        services.complaint_acknowledge(complaint_id=e1.pk, actor=handler, now=now)
        services.complaint_start_investigation(complaint_id=e1.pk, actor=handler, now=now)
        for i in range(6):
            services.complaint_add_note(complaint_id=e1.pk, actor=handler, now=now, body=f"n{i}")
        services.complaint_assign(complaint_id=e1.pk, actor=handler, now=now, owner_id=None)
        with django_assert_num_queries(len(short.captured_queries)):
            response = client.get(url)
    assert len(response.context["timeline"]) >= 11


# --- calculator ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "src"),
    [("england", "Thu 9 Apr 2026"), ("scotland", "Wed 8 Apr 2026")],
)
def test_calculator_gives_every_deadline_with_its_rule(client_for, handler, nation, src):
    """disp-rules E1/E2 (DISP 1.5.1R) and E17 (DISP 1.6.2R) through the calculator page."""
    response = client_for(handler).get(
        reverse("complaints:calculator"),
        {
            "received_at": "2026-04-02T16:00",
            "nation": nation,
            "regime": "standard",
            "close_of_business": "17:00",
            "event_date": "2026-03-01",
            "final_response_sent": "2026-04-15",
            "six_month_wording": "on",
        },
    )
    html = response.content.decode()
    assert f"{src}, close of business" in html
    assert "Thu 28 May 2026" in html  # E17
    assert "Thu 15 Oct 2026" in html  # E25: six months after the response was sent
    for rule in (
        "DISP 1.5.1R",
        "DISP 1.6.2R",
        "DISP 2.8.1R(1)",
        "DISP 2.8.2R(1)",
        "DISP 2.8.2R(2)",
    ):
        assert rule in html


def test_calculator_psd_regime_and_htmx_partial(client_for, handler):
    """E23: PSD/EMD received Mon 13 Apr 2026 → 15 BD Tue 5 May, 35 BD Wed 3 Jun 2026."""
    response = client_for(handler).get(
        reverse("complaints:calculator"),
        {
            "received_at": "2026-04-13T10:00",
            "nation": "england",
            "regime": "psd_emd",
            "close_of_business": "17:00",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html  # the partial only
    assert "Tue 5 May 2026" in html and "Wed 3 Jun 2026" in html
    assert "DISP 1.6.2AR(1)" in html and "DISP 1.6.2AR(2)" in html


def test_calculator_without_six_month_wording_has_no_six_month_limit(client_for, handler):
    """DISP 2.8.3G (E28): the six-month limit is not triggered without the wording."""
    response = client_for(handler).get(
        reverse("complaints:calculator"),
        {
            "received_at": "2026-04-02T16:00",
            "nation": "england",
            "regime": "standard",
            "close_of_business": "17:00",
            "final_response_sent": "2026-04-15",
        },
    )
    assert "DISP 2.8.2R(1)" not in response.content.decode()


def test_calculator_reports_bad_input_on_the_field(client_for, handler):
    response = client_for(handler).get(
        reverse("complaints:calculator"),
        {
            "received_at": "not a date",
            "nation": "england",
            "regime": "standard",
            "close_of_business": "17:00",
        },
    )
    assert response.status_code == 200
    assert "received_at" in response.context["form"].errors
    assert response.context["result"] is None


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_complaint_of_another_of_the_users_firms_is_read_only_until_switching(client, firm):
    """A member of two firms may open a complaint of either, but acts only in the firm they
    are working in: no write lands in a firm by accident."""
    second = FirmFactory(name="Second Exchange Ltd")
    member = MembershipFactory(firm=firm, role=Role.HANDLER)
    MembershipFactory(user=member.user, firm=second, role=Role.HANDLER)
    theirs = make_complaint(firm=second, received_at=E1_RECEIVED)
    client.force_login(member.user)
    client.post(reverse("complaints:switch_firm"), {"firm_id": firm.pk})

    response = client.get(reverse("complaints:detail", args=[theirs.pk]))
    assert response.status_code == 200
    assert "belongs to Second Exchange Ltd" in response.content.decode()
    assert not any(a.enabled for a in response.context["actions"])
    denied = client.post(
        reverse("complaints:act", args=[theirs.pk, "acknowledge"]),
        {"expected_version": theirs.version, "method": "email"},
    )
    assert denied.status_code == 403

    client.post(reverse("complaints:switch_firm"), {"firm_id": second.pk})
    done = confirm_letters(
        client,
        reverse("complaints:act", args=[theirs.pk, "acknowledge"]),
        {"expected_version": theirs.version, "method": "email"},
    )
    assert done.status_code == 302
