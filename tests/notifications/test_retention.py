"""DISP 1.9.1R(2) retention: anonymise after three years from receipt unless held."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from complaints import services as complaint_services
from complaints.models import Communication, Complainant, Complaint, Note, Task
from complaints.services import ComplainantData
from complaints.services.retention import ANONYMISED_NAME, REASON, REDACTED
from notifications import sources
from notifications.models import RetentionRecord
from notifications.retention import retained_until, retention_run
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2023, 4, 13, 10)
# Three years from receipt end on Mon 13 Apr 2026: the record is needed until then.
LAST_DAY = london(2026, 4, 13, 12)
AFTER = london(2026, 4, 14, 3)


def _closed(firm, owner, *, received=RECEIVED, **kwargs) -> Complaint:
    c = make_complaint(firm=firm, received_at=received, owner_id=owner.pk, **kwargs)
    at = received.replace(hour=11)
    complaint_services.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=at)
    complaint_services.complaint_start_investigation(complaint_id=c.pk, actor=owner, now=at)
    complaint_services.complaint_add_note(
        complaint_id=c.pk, actor=owner, now=at, body="Called Mrs Example on 07700 900123."
    )
    complaint_services.task_create(
        c, user=owner, now=at, kind="call_back", due_on=at.date(), note="Call Mrs Example"
    )
    complaint_services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=owner,
        now=at.replace(hour=15),
        outcome="upheld",
        summary="We refunded Mrs Example £120.",
    )
    complaint_services.complaint_close(complaint_id=c.pk, actor=owner, now=at.replace(hour=16))
    return Complaint.objects.get(pk=c.pk)


def _person(firm) -> Complainant:
    data = ComplainantData(
        name="Mrs Example",
        email="example@example.test",
        phone="07700 900123",
        address="1 High Street",
        client_reference="CLI-1",
        vulnerable_health=True,
        vulnerability_note="Recent bereavement.",
        vulnerability_consent=True,
    )
    return complaint_services.complainant_create(firm=firm, actor=None, data=data)


def test_retained_until_uses_the_corresponding_date():
    assert retained_until(london(2024, 2, 29).date(), 3) == london(2027, 2, 28).date()


def test_disp_1_9_1r_record_kept_for_three_years_then_anonymised(firm, owner):
    c = _closed(firm, owner, complainant=_person(firm))
    before = {
        f: getattr(c, f)
        for f in ("reference", "receipt_date", "status", "outcome", "final_response_due")
    }

    assert retention_run(now=LAST_DAY).anonymised == []
    report = retention_run(now=AFTER)

    assert [d.reference for d in report.anonymised] == [c.reference]
    c.refresh_from_db()
    person = Complainant.objects.get(pk=c.complainant_id)
    # Personal data and free text gone ...
    assert (person.name, person.email, person.phone, person.address) == (
        ANONYMISED_NAME,
        "",
        "",
        "",
    )
    assert (person.client_reference, person.vulnerability_note) == ("", "")
    assert c.description == REDACTED
    assert set(Note.objects.filter(complaint=c).values_list("body", flat=True)) == {REDACTED}
    assert "Mrs Example" not in "".join(
        Communication.objects.filter(complaint=c).values_list("summary", flat=True)
    )
    # ... counts, dates, outcome and the counts-relevant flags kept (SUP 16.34 still adds up).
    assert {f: getattr(c, f) for f in before} == before
    assert c.is_complaint and person.vulnerable_health and person.is_retail
    # Audited: a record, and history entries naming the use case.
    record = RetentionRecord.objects.get(complaint=c)
    assert record.retained_until == london(2026, 4, 13).date()
    assert record.complainant_anonymised
    assert c.history.first().history_change_reason == REASON
    assert person.history.first().history_change_reason == REASON


def test_disp_1_9_history_is_scrubbed_of_personal_data(firm, owner):
    c = _closed(firm, owner, complainant=_person(firm))
    retention_run(now=AFTER)

    names = set(Complainant.history.filter(id=c.complainant_id).values_list("name", flat=True))
    assert names == {ANONYMISED_NAME}
    assert not Complainant.history.filter(id=c.complainant_id).exclude(email="").exists()
    assert set(Complaint.history.filter(id=c.pk).values_list("description", flat=True)) == {
        REDACTED
    }
    assert set(Note.history.filter(complaint_id=c.pk).values_list("body", flat=True)) == {REDACTED}
    assert set(Task.history.filter(complaint_id=c.pk).values_list("note", flat=True)) == {REDACTED}
    assert set(Task.objects.filter(complaint_id=c.pk).values_list("note", flat=True)) == {REDACTED}
    summaries = Communication.history.filter(complaint_id=c.pk).values_list("summary", flat=True)
    assert all("Mrs Example" not in s for s in summaries)
    # The history still tells what happened and when.
    reasons = list(
        Complaint.history.filter(id=c.pk).values_list("history_change_reason", flat=True)
    )
    assert "complaint.final_response" in reasons and REASON in reasons


def test_firm_retention_period_longer_than_three_years(firm, owner):
    firm.retention_years = 5
    firm.save()
    _closed(firm, owner)
    assert retention_run(now=AFTER).anonymised == []
    assert len(retention_run(now=london(2028, 4, 14)).anonymised) == 1


def test_legal_hold_keeps_the_record(firm, owner):
    c = _closed(firm, owner)
    Complaint.objects.filter(pk=c.pk).update(legal_hold=True, legal_hold_reason="Litigation")
    report = retention_run(now=AFTER)
    assert report.anonymised == []
    assert "legal hold (Litigation)" in report.kept[0].reason
    assert not RetentionRecord.objects.exists()


def test_open_complaint_is_kept(firm, owner):
    make_complaint(firm=firm, received_at=RECEIVED, owner_id=owner.pk)
    report = retention_run(now=AFTER)
    assert report.anonymised == [] and "complaint still open" in report.kept[0].reason


def test_an_open_fos_referral_hold_keeps_the_record(firm, owner, settings, monkeypatch):
    """disp-rules.md §2.10 [D]: kept while a FOS referral is open, and for
    RETENTION_FOS_BUFFER_DAYS after it closes (the fos capability registers this hold)."""
    settings.RETENTION_FOS_BUFFER_DAYS = 180
    held, free = _closed(firm, owner), _closed(firm, owner)
    seen = {}

    def open_fos_referral(complaint_ids, today, buffer_days):
        seen["buffer"] = buffer_days
        return {held.pk: "open FOS referral"} if held.pk in complaint_ids else {}

    monkeypatch.setattr(sources, "RETENTION_HOLDS", {"test.fos": open_fos_referral})
    report = retention_run(now=AFTER)
    assert [d.complaint_id for d in report.anonymised] == [free.pk]
    assert [d.complaint_id for d in report.kept] == [held.pk]
    assert "open FOS referral" in report.kept[0].reason
    assert seen["buffer"] == 180
    assert Complainant.objects.get(pk=held.complainant_id).name == "Jo Bloggs"


def test_shared_complainant_is_anonymised_only_when_all_their_complaints_are(firm, owner):
    first = _closed(firm, owner, complainant=_person(firm))
    _closed(firm, owner, received=london(2024, 1, 10, 10), complainant=first.complainant)

    retention_run(now=AFTER)
    person = Complainant.objects.get(pk=first.complainant_id)
    assert person.name == "Mrs Example"
    assert not RetentionRecord.objects.get(complaint=first).complainant_anonymised

    retention_run(now=london(2027, 1, 11, 3))
    person.refresh_from_db()
    assert person.name == ANONYMISED_NAME


def test_dry_run_lists_and_changes_nothing(firm, owner, capsys):
    c = _closed(firm, owner)
    held = _closed(firm, owner)
    Complaint.objects.filter(pk=held.pk).update(legal_hold=True)

    call_command("run_retention", "--dry-run")

    out = capsys.readouterr().out
    assert f"{c.reference}: would anonymise: DISP 1.9.1R: received Thu 13 Apr 2023" in out
    assert f"{held.reference}: kept:" in out and "legal hold" in out
    assert "Nothing was changed" in out
    assert not RetentionRecord.objects.exists()
    assert Complainant.objects.filter(name=ANONYMISED_NAME).count() == 0


def test_retention_is_idempotent(firm, owner):
    _closed(firm, owner)
    assert len(retention_run(now=AFTER).anonymised) == 1
    assert retention_run(now=AFTER).anonymised == []
    assert RetentionRecord.objects.count() == 1
