"""Evidence in the FOS case file (every file on the case, a manifest of SHA-256s), and DISP 1.9
retention deleting a complaint's evidence files and rows, never while it is held."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date

import pytest

from common.exports import column_key
from complaints import services as complaint_services
from complaints.models import Complaint
from evidence import services
from evidence.choices import Kind
from evidence.models import Evidence
from evidence.services import REDACTED
from evidence.storage import evidence_storage
from fos import exports
from notifications.retention import retention_run
from tests.evidence.conftest import png_bytes, wav_bytes
from tests.factories import london, tiny_pdf
from tests.fos.helpers import at, log, responded_complaint

pytestmark = pytest.mark.django_db


def _add(complaint, user, data, name, kind=Kind.OTHER, now=None):
    return services.evidence_add(
        complaint,
        user=user,
        kind=kind,
        title=f"Title of {name}",
        content=data,
        file_name=name,
        now=now or complaint.received_at,
    )


def test_every_attachment_is_in_the_fos_case_file_with_its_sha256(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    png = _add(c, handler, png_bytes(), "screen.png", Kind.SCREENSHOT)
    wav = _add(c, handler, wav_bytes(), "call.wav", Kind.RECORDING)
    pdf = _add(c, handler, tiny_pdf("Statement"), "../../statement.pdf", Kind.STATEMENT)
    gone = _add(c, handler, png_bytes("blue"), "wrong.png")
    services.evidence_remove(
        evidence_id=gone.pk, actor=handler, now=at(date(2027, 12, 1)), reason="x"
    )
    link = services.evidence_add(
        c, user=handler, kind=Kind.CHAIN_LINK, title="Tx", url="https://mempool.space/tx/ab"
    )
    referral = log(c, handler, referred_on=date(2028, 1, 10), fos_reference="PNX-5550002")

    _, data = exports.build_case_file(referral, now=at(date(2028, 2, 1)))

    zf = zipfile.ZipFile(io.BytesIO(data))
    folder = zf.namelist()[0].split("/")[0]
    names = {n.removeprefix(f"{folder}/") for n in zf.namelist()}
    files = {
        f"evidence/{png.pk}-screen.png": png,
        f"evidence/{wav.pk}-call.wav": wav,
        f"evidence/{pdf.pk}-statement.pdf": pdf,  # the uploader's path is dropped
    }
    assert set(files) | {"evidence/manifest.csv"} <= names
    assert not any("wrong" in n for n in names)  # removed from the case: not sent
    for name, row in files.items():
        assert hashlib.sha256(zf.read(f"{folder}/{name}")).hexdigest() == row.sha256
    text = zf.read(f"{folder}/evidence/manifest.csv").decode("utf-8-sig")
    manifest = [{column_key(k): v for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]
    rows = {r["file"] or r["link"]: r for r in manifest}
    assert set(rows) == {*files, link.url}
    for name, row in files.items():
        assert (rows[name]["sha256"], rows[name]["verified"]) == (row.sha256, "yes")
    readme = zf.read(f"{folder}/README.txt").decode()
    assert "evidence/manifest.csv" in readme and f"evidence/{png.pk}-screen.png" in readme
    audit = zf.read(f"{folder}/audit_trail.csv").decode("utf-8-sig")
    assert "evidence" in audit and "evidence.remove" in audit


RECEIVED = london(2023, 4, 13, 10)
AFTER = london(2026, 4, 14, 3)  # three years from receipt have ended (DISP 1.9.1R)


def _closed(firm, handler) -> Complaint:
    c = responded_complaint(firm=firm, actor=handler, received=RECEIVED)
    complaint_services.complaint_close(
        complaint_id=c.pk, actor=handler, now=london(2023, 5, 20, 10)
    )
    return c


def test_disp_1_9_1r_retention_deletes_evidence_files_and_rows_but_not_while_held(
    firm, handler, django_capture_on_commit_callbacks
):
    c = _closed(firm, handler)
    held = _closed(firm, handler)
    Complaint.objects.filter(pk=held.pk).update(legal_hold=True, legal_hold_reason="Litigation")
    going = _add(c, handler, png_bytes(), "jo-bloggs-passport.png", now=london(2023, 4, 14, 9))
    link = services.evidence_add(
        c, user=handler, kind=Kind.CHAIN_LINK, title="Jo's wallet", url="https://x.test/a/jo"
    )
    kept = _add(held, handler, png_bytes(), "kept.png", now=london(2023, 4, 14, 9))
    assert evidence_storage.exists(going.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run(now=AFTER)

    assert [d.reference for d in report.anonymised] == [c.reference]
    assert not Evidence.objects.filter(complaint=c).exists()
    assert not evidence_storage.exists(going.file.name)
    # The history keeps that it existed, who added it and its SHA-256, not what it was called.
    history = Evidence.history.filter(id__in=[going.pk, link.pk])
    assert {h.history_type for h in history} == {"+", "-"}
    assert {(h.title, h.original_name, h.url) for h in history} == {(REDACTED, "", "")}
    assert {h.sha256 for h in history if h.id == going.pk} == {going.sha256}
    deleted = history.get(id=going.pk, history_type="-")
    assert deleted.history_change_reason == "retention.evidence"
    # A complaint under legal hold keeps its evidence, file and all.
    assert Evidence.objects.filter(pk=kept.pk).exists()
    assert evidence_storage.exists(kept.file.name)


def test_a_rolled_back_retention_keeps_the_files(
    firm, handler, monkeypatch, django_capture_on_commit_callbacks
):
    c = _closed(firm, handler)
    row = _add(c, handler, png_bytes(), "a.png", now=london(2023, 4, 14, 9))
    from notifications import retention

    def fail(*args, **kwargs):
        raise RuntimeError("the record could not be written")

    monkeypatch.setattr(retention.RetentionRecord.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        retention_run(now=AFTER)
    assert Evidence.objects.filter(pk=row.pk).exists()
    assert evidence_storage.exists(row.file.name)
