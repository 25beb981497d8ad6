"""The FOS case file ZIP: chronology (CSV, HTML, PDF), audit trail, summary, communications and
every letter PDF from registered attachment providers."""

import csv
import io
import zipfile
from datetime import date

import pytest

from common.exports import column_key
from fos import exports
from tests.factories import london
from tests.fos.helpers import at, drive, log, responded_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10), fos_reference="PNX-5550001")
    return drive(
        referral, ["start_investigation", "issue_view"], start=date(2028, 1, 10), actor=handler
    )


def _open(data: bytes) -> tuple[zipfile.ZipFile, str]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    folder = zf.namelist()[0].split("/")[0]
    return zf, folder


def _csv(zf, name) -> list[dict]:
    """Rows keyed by column reference, as a machine reads the human headings."""
    rows = csv.DictReader(io.StringIO(zf.read(name).decode("utf-8-sig")))
    return [{column_key(k): v for k, v in row.items()} for row in rows]


@pytest.fixture
def provider(monkeypatch):
    def letters(complaint):
        yield "final_response.pdf", b"%PDF-1.7 final response for " + complaint.reference.encode()
        yield "../../etc/final_response.pdf", b"%PDF-1.7 second copy"

    # This stand-in gives file names a real letter never has (the real source has its own test).
    monkeypatch.setattr(exports, "sent_letter_pdfs", letters)
    return letters


def test_zip_contains_every_part_and_letters_from_providers(referral, provider):
    filename, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    assert filename == f"{referral.complaint.reference}_PNX-5550001.zip"
    zf, folder = _open(data)
    names = {n.removeprefix(f"{folder}/") for n in zf.namelist()}
    assert names == {
        "README.txt",
        "complaint_summary.html",
        "chronology.csv",
        "chronology.html",
        "chronology.pdf",
        "audit_trail.csv",
        "communications.csv",
        "letters/final_response.pdf",
        "letters/final_response-1.pdf",
    }
    # Letter names from providers cannot escape the folder, and duplicates are kept apart.
    assert zf.read(f"{folder}/letters/final_response.pdf").startswith(b"%PDF")
    assert zf.read(f"{folder}/letters/final_response-1.pdf") == b"%PDF-1.7 second copy"
    assert zf.read(f"{folder}/chronology.pdf").startswith(b"%PDF")


def test_chronology_in_order_with_complaint_and_fos_events(referral):
    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    zf, folder = _open(data)
    rows = _csv(zf, f"{folder}/chronology.csv")
    events = [r["event"] for r in rows]
    assert events[0] == "Event complained of"
    assert events[1] == "Complaint received"
    assert "Acknowledgement (DISP 1.6.1R)" in events
    assert "Final response (DISP 1.6.2R(1))" in events
    assert "FOS: Investigator's view issued" in events
    assert any(e.startswith("FOS deadline set: Respond to the investigator's view") for e in events)
    assert [r["date"][:10] for r in rows] == sorted(r["date"][:10] for r in rows)
    html = zf.read(f"{folder}/chronology.html").decode()
    assert "Investigator&#x27;s view issued" in html or "Investigator's view issued" in html


def test_audit_trail_covers_complaint_communications_and_referral(referral, handler):
    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    zf, folder = _open(data)
    rows = _csv(zf, f"{folder}/audit_trail.csv")
    reasons = [r["reason"] for r in rows]
    for reason in (
        "complaint.register",
        "complaint.final_response",
        "communication.final_response",
        "fos.log",
        "fos.start_investigation",
        "fos.issue_view",
        "fos.deadline_add",
    ):
        assert reason in reasons, reason
    view = next(r for r in rows if r["reason"] == "fos.issue_view" and r["record"] == "referral")
    assert "stage: investigation → investigator_view_issued" in view["fields_changed"]
    assert view["user"] == handler.get_full_name()


@pytest.fixture
def no_providers(monkeypatch):
    monkeypatch.setattr(exports, "sent_letter_pdfs", lambda complaint: [])


def test_without_a_provider_the_zip_lists_communications(referral, no_providers):
    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    zf, folder = _open(data)
    assert not [n for n in zf.namelist() if "/letters/" in n]
    comms = _csv(zf, f"{folder}/communications.csv")
    assert [c["kind"] for c in comms] == [
        "Acknowledgement (DISP 1.6.1R)",
        "Final response (DISP 1.6.2R(1))",
    ]
    assert comms[1]["six_month_wording"] == "yes"
    readme = zf.read(f"{folder}/README.txt").decode()
    assert "No letter PDFs were available" in readme
    summary = zf.read(f"{folder}/complaint_summary.html").decode()
    assert referral.complaint.reference in summary and "PNX-5550001" in summary


def test_zip_carries_every_sent_letter_pdf_from_the_letters_app(referral):
    """The real provider (letters): the acknowledgement and the final response the
    complaint was sent, as the stored, immutable PDFs."""
    from letters.models import Letter

    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    zf, folder = _open(data)
    pdfs = sorted(n for n in zf.namelist() if n.startswith(f"{folder}/letters/"))
    sent = Letter.objects.filter(complaint=referral.complaint, status="sent")
    assert len(pdfs) == sent.count() >= 2
    assert any("acknowledgement" in n for n in pdfs)
    assert any("final" in n for n in pdfs)
    stored = {bytes(letter.pdf) for letter in sent}
    assert {zf.read(n) for n in pdfs} == stored


def test_case_file_csvs_quote_formulas_from_the_record(referral):
    """OWASP CSV injection: a communication summary "=HYPERLINK(...)" and a stage note "@SUM"
    reach communications.csv and chronology.csv quoted, never as a formula."""
    from complaints.models import Communication
    from fos.models import ReferralStage

    Communication.objects.filter(complaint=referral.complaint).update(
        summary='=HYPERLINK("http://x")'
    )
    ReferralStage.objects.filter(referral=referral).update(note="@SUM(A1)")
    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))
    zf, folder = _open(data)
    comms = _csv(zf, f"{folder}/communications.csv")
    assert {c["summary"] for c in comms} == {'\'=HYPERLINK("http://x")'}
    chronology = _csv(zf, f"{folder}/chronology.csv")
    assert "'@SUM(A1)" in {r["detail"] for r in chronology}
