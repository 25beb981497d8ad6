"""Reporting pages and API: access by firm and role, upload, drill-down, approve, exports."""

import csv
import io
import json
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from common.models import UploadJob
from reporting.models import ClientPositionSnapshot, ImportRejection, ReturnVersion
from reporting.selectors import returns_due
from reporting.services import return_approve, return_compute
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint
from tests.reporting.helpers import csv_bytes, load_snapshot, position

pytestmark = pytest.mark.django_db
Q1 = date(2028, 3, 31)


@pytest.fixture(autouse=True)
def in_july_2028():
    """Pages, the API and commands take ``now`` from the clock: travel past the periods used."""
    with time_machine.travel(london(2028, 7, 3, 9), tick=True):
        yield


@pytest.fixture
def version(firm, officer):
    for day in range(1, 4):
        make_complaint(firm=firm, received_at=london(2028, 2, day, 10))
    load_snapshot(firm, Q1, [position("A", "A1"), position("B", "B1", vulnerable=True)])
    return return_compute(firm=firm, period_end=Q1, actor=officer, now=london(2028, 4, 5, 9))


def test_dashboard_shows_calendar_snapshots_and_returns(client, firm, officer, version):
    client.force_login(officer)
    assert client.get(reverse("reporting:returns")).url == reverse(
        "reporting:dashboard", args=[firm.pk]
    )
    page = client.get(reverse("reporting:dashboard", args=[firm.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Reporting calendar" in body and "positions.csv" in body and "Version 1" in body


def test_another_firms_data_is_a_404_and_other_roles_cannot_report(client, firm, version):
    outsider = MembershipFactory(firm=FirmFactory(), role="reporting_officer").user
    client.force_login(outsider)
    pk = version.sup16_return_id
    for url in (
        reverse("reporting:dashboard", args=[firm.pk]),
        reverse("reporting:return_detail", args=[pk]),
        reverse("reporting:return_items", args=[pk, 1, "received"]),
        reverse("reporting:return_export", args=[pk, 1, "csv"]),
        reverse("reporting:snapshot_detail", args=[version.snapshot_id]),
        f"/api/reporting/returns/{pk}/",
        f"/api/reporting/firms/{firm.pk}/periods/",
    ):
        assert client.get(url).status_code == 404, url
    handler = MembershipFactory(firm=firm, role="handler").user
    client.force_login(handler)
    assert client.get(reverse("reporting:returns")).status_code == 403
    # The return is the handler's own firm's: its existence is no secret, the role is the limit.
    assert client.get(reverse("reporting:return_detail", args=[pk])).status_code == 403
    assert client.get(f"/api/reporting/returns/{pk}/").status_code == 403


def test_upload_page_queues_a_job_that_imports_or_shows_every_error(
    client, firm, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = reverse("reporting:snapshot_upload", args=[firm.pk])
    assert client.get(url).status_code == 200
    good = io.BytesIO(csv_bytes([position("A", "A1")]))
    good.name = "good.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"as_at": "2028-03-31", "file": good})
    job = UploadJob.objects.get()
    assert response.url == reverse("reporting:job_detail", args=[job.pk])
    snap = ClientPositionSnapshot.objects.get()
    page = client.get(response.url).content.decode()
    assert reverse("reporting:snapshot_detail", args=[snap.pk]) in page
    assert "Imported 1 rows." in page

    bad = io.BytesIO(
        csv_bytes([position("A", "A1"), ("B", "x", "no", "no", "B1", "arranging", "open", "1")])
    )
    bad.name = "bad.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"as_at": "2028-03-31", "file": bad})
    rejection = ImportRejection.objects.get()
    job_page = client.get(response.url).content.decode()
    rejection_url = reverse("reporting:rejection_detail", args=[rejection.pk])
    assert "Failed" in job_page and rejection_url in job_page
    page = client.get(rejection_url).content.decode()
    assert "is_retail" in page and "Download every error" in page
    download = client.get(reverse("reporting:rejection_errors", args=[rejection.pk]))
    assert b"3,is_retail,x" in b"".join(download.streaming_content)

    wrong_date = io.BytesIO(csv_bytes([position("A", "A1")]))
    wrong_date.name = "good.csv"
    page = client.post(url, {"as_at": "2028-04-30", "file": wrong_date})
    assert page.status_code == 200 and "not one of the firm" in page.content.decode()


def test_return_page_drilldown_approve_and_exports(
    client, firm, approver, version, django_assert_max_num_queries
):
    client.force_login(approver)
    pk = version.sup16_return_id
    page = client.get(reverse("reporting:return_detail", args=[pk]))
    body = page.content.decode()
    assert "SUP 16.34.6R(1)" in body and "Approve version 1" in body
    with django_assert_max_num_queries(12):
        items = client.get(reverse("reporting:return_items", args=[pk, 1, "received"]))
    assert items.status_code == 200 and f"{firm.reference_prefix}-" in items.content.decode()
    partial = client.get(
        reverse("reporting:return_items", args=[pk, 1, "active_clients"]), HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode() and ">A<" in partial.content.decode()

    response = client.post(reverse("reporting:return_approve", args=[pk, 1]))
    assert ReturnVersion.objects.get(pk=version.pk).status == "approved"
    assert response.status_code == 302

    csv_body = client.get(reverse("reporting:return_export", args=[pk, 1, "csv"])).content
    assert b"SUP 16.34.6R(1)" in csv_body and b"SUP 16.34.6R(4)" in csv_body
    xlsx = client.get(reverse("reporting:return_export", args=[pk, 1, "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[2]][0] == "SUP 16.34.6R(1)"
    assert [c.value for c in sheet[2]][3] == 3
    data = json.loads(client.get(reverse("reporting:return_export", args=[pk, 1, "json"])).content)
    assert data["complaints_received"] == 3 and data["status"] == "approved"


def test_api_compute_drilldown_approve_submit_export(client, firm, officer, approver):
    load_snapshot(firm, Q1, [position("A", "A1")])
    make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    client.force_login(officer)
    periods = client.get(
        f"/api/reporting/firms/{firm.pk}/periods/?from=2027-10-01&to=2028-06-30"
    ).json()
    assert periods[0] == {
        "start": "2027-10-25",
        "end": "2027-12-31",
        "due": "2028-01-31",
        "is_stub": True,
        "is_trial": False,
        "return_id": None,
        "latest_version": None,
        "latest_status": None,
        "submitted": False,
    }
    bad = client.post(
        f"/api/reporting/firms/{firm.pk}/returns/",
        {"period_end": "2028-03-30"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "not_a_reference_date"
    made = client.post(
        f"/api/reporting/firms/{firm.pk}/returns/",
        {"period_end": "2028-03-31"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["latest_version"]["complaints_received"] == 1
    items = client.get(f"/api/reporting/returns/{pk}/versions/1/items/?metric=active_clients")
    assert items.json()["results"] == [
        {
            "metric": "active_clients",
            "complaint_id": None,
            "complaint_reference": "",
            "client_id": "A",
        }
    ]
    own = client.post(f"/api/reporting/returns/{pk}/versions/1/approve/")
    assert own.status_code == 409 and own.json()["code"] == "approver_prepared_return"
    handler = MembershipFactory(firm=firm, role="handler").user
    client.force_login(handler)
    # A colleague whose role cannot approve: 403 (complaints.access), not the 404 of a stranger.
    assert client.post(f"/api/reporting/returns/{pk}/versions/1/approve/").status_code == 403
    client.force_login(approver)
    assert client.post(f"/api/reporting/returns/{pk}/versions/1/approve/").json()["status"] == (
        "approved"
    )
    again = client.post(f"/api/reporting/returns/{pk}/versions/1/approve/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    done = client.post(
        f"/api/reporting/returns/{pk}/versions/1/submit/",
        {"submission_reference": "R-1"},
        content_type="application/json",
    )
    assert done.json()["status"] == "submitted"
    export = client.get(f"/api/reporting/returns/{pk}/versions/1/export/json/").json()
    assert export["data_items"][0]["reference"] == "SUP 16.34.6R(1)"
    assert client.get(f"/api/reporting/returns/{pk}/versions/1/export/csv/").status_code == 200


def test_api_snapshot_upload_is_a_job_rejection_and_idempotency(
    client, firm, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = f"/api/reporting/firms/{firm.pk}/snapshots/"
    bad = io.BytesIO(csv_bytes([("A", "true", "false", "no", "", "arranging", "open", "1")]))
    bad.name = "bad.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"as_at": "2028-03-31", "file": bad})
    assert response.status_code == 202, response.content
    job = client.get(response["Location"]).json()
    rejection = ImportRejection.objects.get()
    assert job["state"] == "failed"
    assert "row 2, arrangement_id: Required." in job["error"]
    assert job["result_url"] == reverse("reporting:rejection_detail", args=[rejection.pk])
    assert rejection.errors_shown[0] == {
        "row": 2,
        "column": "arrangement_id",
        "value": "",
        "message": "Required.",
    }
    for expected in (202, 409):
        good = io.BytesIO(csv_bytes([position("A", "A1")]))
        good.name = "good.csv"
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(url, {"as_at": "2028-03-31", "file": good})
        assert answer.status_code == expected
    assert answer.json()["code"] == "upload_already_imported"
    listing = client.get(url).json()
    assert listing["count"] == 1 and listing["results"][0]["row_count"] == 1


def test_returns_due_lists_due_and_overdue_unsubmitted_returns(firm, officer, approver):
    """Reminders: within 10 business days of the due date, or overdue, and not submitted."""
    other = FirmFactory(accounting_reference_month=12, accounting_reference_day=31)
    today = date(2028, 1, 20)  # Q ending 31 Dec 2027 due Mon 31 Jan 2028: 7 business days
    due = returns_due([firm.pk, other.pk], today)
    assert sorted((d.firm.pk, d.period.end, d.business_days_left) for d in due) == [
        (firm.pk, date(2027, 12, 31), 7),
        (other.pk, date(2027, 12, 31), 7),
    ]
    assert returns_due([firm.pk], date(2028, 1, 10)) == []  # 15 business days out
    later = returns_due([firm.pk], date(2028, 5, 4))
    assert [(d.period.end, d.overdue) for d in later] == [
        (date(2027, 12, 31), True),
        (date(2028, 3, 31), True),
    ]
    assert later[0].business_days_overdue > 0 and later[0].status == "Not started"

    load_snapshot(firm, date(2027, 12, 31), [position("A", "A1")])
    v = return_compute(
        firm=firm, period_end=date(2027, 12, 31), actor=officer, now=london(2028, 1, 5, 9)
    )
    return_approve(return_id=v.sup16_return_id, version=1, actor=approver, now=london(2028, 1, 6))
    from reporting.services import return_submit

    return_submit(return_id=v.sup16_return_id, version=1, actor=officer, now=london(2028, 1, 7))
    assert [d.period.end for d in returns_due([firm.pk], date(2028, 5, 4))] == [date(2028, 3, 31)]


def test_returns_due_uses_a_constant_number_of_queries(django_assert_num_queries):
    firms = [FirmFactory() for _ in range(5)]
    with django_assert_num_queries(3):
        assert len(returns_due([f.pk for f in firms], date(2028, 5, 1))) == 10


def test_sup16_return_command_prints_the_figures(firm, capsys):
    load_snapshot(firm, Q1, [position("A", "A1"), position("B", "B1", vulnerable=True)])
    make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    call_command(
        "sup16_return", "--firm", firm.frn, "--period-end", "2028-03-31", "--format", "json"
    )
    out = json.loads(capsys.readouterr().out)
    assert {
        k: out[k]
        for k in (
            "period_start",
            "period_end",
            "due_date",
            "complaints_received",
            "complaints_upheld",
            "active_clients",
            "vulnerable_active_retail_customers",
            "complaints_upheld_cohort",
            "complaints_upheld_basis",
        )
    } == {
        "period_start": "2028-01-01",
        "period_end": "2028-03-31",
        "due_date": "2028-05-03",
        "complaints_received": 1,
        "complaints_upheld": 0,
        "active_clients": 2,
        "vulnerable_active_retail_customers": 1,
        "complaints_upheld_cohort": 0,
        "complaints_upheld_basis": "event",
    }


def test_sup16_return_command_prints_null_for_an_exempt_firm(capsys):
    from django.core.management.base import CommandError

    firm = FirmFactory(stablecoin_issuer_only=True)
    call_command("sup16_return", "--firm", firm.frn, "--period-end", "2028-03-31")
    out = json.loads(capsys.readouterr().out)
    assert out["active_clients"] is None and out["vulnerable_active_retail_customers"] is None
    with pytest.raises(CommandError, match="not a reporting reference date"):
        call_command("sup16_return", "--firm", firm.frn, "--period-end", "2028-03-30")


def test_sup_16_34_6r_1_return_page_and_api_flag_an_unlisted_activity(client, firm, officer):
    """SUP 16.34.6R(1): a complaint about a cryptoasset activity the firm has not listed counts
    and the reporting officer sees it flagged, on the page and in the API and export."""
    firm.activities.exclude(activity="operating_catp").delete()
    make_complaint(firm=firm, received_at=london(2028, 2, 1, 10), activity="staking")
    load_snapshot(firm, Q1, [position("A", "A1")])
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=london(2028, 4, 5, 9))
    assert v.complaints_received == 1
    client.force_login(officer)
    body = client.get(reverse("reporting:return_detail", args=[v.sup16_return_id])).content
    assert b"Counted, but check before approving" in body
    assert b"activity not on the firm&#x27;s list of activities: 1" in body
    api = client.get(f"/api/reporting/returns/{v.sup16_return_id}/versions/1/").json()
    assert api["flags"] == {"flag_unlisted_activity": 1}
    export = client.get(f"/api/reporting/returns/{v.sup16_return_id}/versions/1/export/json/")
    assert export.json()["counted_to_check"] == {"flag_unlisted_activity": 1}


def test_sup_16_34_6r_3_4_api_nil_declaration_then_approve_and_submit(
    client, firm, officer, approver
):
    """SUP 16.34.6R(3)-(4) through the API: an explicit nil declaration (refused with a 400 and
    a code without confirmation), then the return computes with 0 clients and is approved and
    submitted."""
    client.force_login(officer)
    url = f"/api/reporting/firms/{firm.pk}/snapshots/nil/"
    unconfirmed = client.post(
        url, {"as_at": "2028-03-31", "confirm": False}, content_type="application/json"
    )
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["code"] == "validation_error"
    assert "confirm" in unconfirmed.json()["fields"]
    assert not ClientPositionSnapshot.objects.exists()
    made = client.post(
        url, {"as_at": "2028-03-31", "confirm": True}, content_type="application/json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["is_nil"] is True and made.json()["row_count"] == 0
    again = client.post(
        url, {"as_at": "2028-03-31", "confirm": True}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    computed = client.post(
        f"/api/reporting/firms/{firm.pk}/returns/",
        {"period_end": "2028-03-31"},
        content_type="application/json",
    ).json()
    assert computed["latest_version"]["active_clients"] == 0
    pk = computed["id"]
    client.force_login(approver)
    assert client.post(f"/api/reporting/returns/{pk}/versions/1/approve/").status_code == 200
    done = client.post(
        f"/api/reporting/returns/{pk}/versions/1/submit/",
        {"submission_reference": "NIL-1"},
        content_type="application/json",
    )
    assert done.json()["status"] == "submitted", done.json()
    export = client.get(f"/api/reporting/returns/{pk}/versions/1/export/json/").json()
    assert export["snapshot"]["nil_declaration"].startswith(firm.name)
    handler = MembershipFactory(firm=firm, role="handler").user
    client.force_login(handler)
    assert client.post(url, {"as_at": "2028-03-31", "confirm": True}).status_code == 403


INJECTION = '=HYPERLINK("http://x")'


def test_return_exports_never_carry_a_formula_and_keep_numbers_and_dates_typed(
    client, firm, officer, version
):
    """OWASP CSV injection: a firm name starting with "=" is quoted in the CSV and a text cell
    (not a formula) in the XLSX; figures stay numbers, dates are date cells in UK time."""
    type(firm).objects.filter(pk=firm.pk).update(name=INJECTION)
    client.force_login(officer)
    pk = version.sup16_return_id
    body = client.get(reverse("reporting:return_export", args=[pk, 1, "csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Data item reference (data_item)"
    assert ["Firm", "'" + INJECTION] in rows
    assert ["Period start", "2028-01-01"] in rows
    xlsx = client.get(reverse("reporting:return_export", args=[pk, 1, "xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    firm_cell = next(c for c in cells if c.value == INJECTION)
    assert firm_cell.data_type == "s"
    received = book.active.cell(row=2, column=4)
    assert (received.value, received.data_type) == (3, "n")
    start = next(c for c in cells if c.row > 1 and c.column == 2 and c.is_date)
    assert start.value == datetime(2028, 1, 1)
