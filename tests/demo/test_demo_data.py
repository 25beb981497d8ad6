"""``make demo``'s data (``load_demo_data``), loaded once for this module and checked from every
app's side: every complaint state, FOS referrals at several stages, sent letters of every type,
a snapshot and a return per firm, the Django admin over all of it, the console output, and
idempotency (a second load adds nothing).

Loading the demo costs tens of seconds; five modules each loaded it twice. Here it is loaded
twice in all (the second load proves idempotency), inside one transaction rolled back when the
module ends, so no other test sees it. Each test runs in a savepoint inside that transaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from complaints.choices import Status
from complaints.models import Complaint, Task
from demo.complaints import USERS
from evidence.models import Evidence
from fos.choices import Stage
from fos.fees import firm_ledger
from fos.models import FosDeadline, Referral
from letters.choices import LetterStatus, LetterType
from letters.models import FosLeaflet, Letter
from reporting.models import ClientPositionSnapshot, ReturnVersion, Sup16Return

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-data")]

# Demo dates are relative to today: pin today so the FOS fee year boundary is always inside.
DEMO_TODAY = datetime(2026, 11, 21, 10, tzinfo=UTC)
COUNTED = (
    Complaint,
    Referral,
    Letter,
    FosLeaflet,
    ClientPositionSnapshot,
    ReturnVersion,
    Task,
    Evidence,
)


@dataclass(frozen=True)
class Demo:
    printed: str
    first: dict[str, int]
    second: dict[str, int]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _media_dir):
    """The demo loaded twice, the console output of the first load, and the counts after each."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            time_machine.travel(DEMO_TODAY, tick=False),
            # The console backend `make demo` has: the demo's e-mails must not reach it.
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
                MEDIA_ROOT=str(_media_dir),  # where every test's files are (tests/conftest.py)
            ),
        ):
            out = io.StringIO()
            call_command("load_demo_data", stdout=out)
            first = _counts()
            call_command("load_demo_data", verbosity=0)
            second = _counts()
        yield Demo(printed=out.getvalue(), first=first, second=second)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_a_second_load_adds_nothing(demo):
    assert demo.second == demo.first


def test_the_console_prints_the_logins_last_and_no_letter_e_mails(demo, capsys):
    printed = demo.printed + capsys.readouterr().out
    assert "Subject:" not in printed and "Content-Type:" not in printed
    lines = demo.printed.rstrip("\n").splitlines()
    logins = [line.split()[0] for line in lines[-len(USERS) :]]
    assert logins == [username for username, *_ in USERS]
    assert lines[-len(USERS) - 1].startswith("Sign in at http://127.0.0.1:8000/ with password")


def test_complaints_in_every_state_in_both_nations(demo):
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    assert 70 <= demo.first["Complaint"] <= 160
    firms = set(Complaint.objects.values_list("firm__nation", flat=True))
    assert firms == {"england", "scotland"}


def test_referrals_at_several_stages_an_award_and_a_fee_year_boundary(demo):
    stages = set(Referral.objects.values_list("stage", flat=True))
    assert {
        Stage.REFERRED,
        Stage.REFERRED_BACK_TO_FIRM,
        Stage.INVESTIGATION,
        Stage.INVESTIGATOR_VIEW_ISSUED,
        Stage.FINAL_DECISION,
        Stage.ACCEPTED,
        Stage.COMPLIED,
    } <= stages
    assert Referral.objects.filter(award_amount__isnull=False).exists()
    assert FosDeadline.objects.filter(done_at__isnull=True).exists()
    firm_id = Referral.objects.values_list("firm_id", flat=True).first()
    years = firm_ledger(firm_id)
    assert len(years) >= 2, "the demo ledger crosses a FOS financial-year boundary"
    assert any(not line.free for y in years for line in y.lines)


def test_sent_letters_of_every_type_with_the_leaflet(demo):
    sent = Letter.objects.filter(status=LetterStatus.SENT)
    assert set(sent.values_list("letter_type", flat=True)) == set(LetterType.values)
    assert sent.filter(fos_available=False).exists()  # CP26/4 para 3.29 statement
    assert sent.filter(includes_waiver_consent=True, includes_six_month_wording=False).exists()
    assert Letter.objects.filter(status=LetterStatus.AWAITING_APPROVAL).count() == 1
    assert all(letter.pdf_sha256 for letter in sent.only("pdf_sha256"))
    assert not any(letter.failed_checks for letter in sent.only("check_results", "status"))
    # DISP 1.6.2R(1)(d): each demo firm has a clearly labelled demonstration leaflet, and the
    # demo's final responses went with it.
    leaflets = list(FosLeaflet.objects.all())
    assert len(leaflets) == 2 and all("DEMONSTRATION ONLY" in x.label for x in leaflets)
    text = PdfReader(io.BytesIO(leaflets[0].read())).pages[0].extract_text()
    assert "not the Financial Ombudsman Service leaflet" in " ".join(text.split())
    finals = sent.filter(letter_type__in=LetterType.final_types())
    assert finals.exists() and not finals.filter(fos_leaflet=None, fos_available=True).exists()


def test_a_snapshot_and_a_return_per_firm(demo):
    assert ClientPositionSnapshot.objects.count() == 2
    assert Sup16Return.objects.count() == 2
    assert ReturnVersion.objects.filter(status="approved").count() == 1
    assert all(s.row_count > 200 for s in ClientPositionSnapshot.objects.all())
    assert ReturnVersion.objects.filter(active_clients__gt=0).count() == 2


def test_the_admin_renders_every_model_over_the_demo_and_history_is_read_only(demo, admin_client):
    from django.apps import apps

    for model in apps.get_app_config("complaints").get_models():
        if model.__name__.startswith("Historical") or model.__name__ == "ReferenceCounter":
            continue
        assert model in admin.site._registry, model
    c = Complaint.objects.first()
    assert admin_client.get(f"/admin/complaints/complaint/{c.pk}/history/").status_code == 200
    # Every registered model's list and one change page (with its read-only inlines) render.
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert admin_client.get(base).status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, model
    # Complaints change only through services: the admin cannot edit or delete them.
    assert admin_client.post(f"/admin/complaints/complaint/{c.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"/admin/complaints/complaint/{c.pk}/delete/", {}).status_code == 403


def test_a_handlers_day_has_tasks_due_overdue_and_ahead_and_evidence_on_file(demo):
    from common.dates import london_date

    today = london_date(DEMO_TODAY)
    due = list(Task.objects.values_list("due_on", flat=True))
    assert any(d < today for d in due) and today in due and any(d > today for d in due)
    kinds = set(Evidence.objects.values_list("kind", flat=True))
    assert {"statement", "screenshot", "chain_explorer_link"} <= kinds
    pdf = Evidence.objects.filter(kind="statement").first()
    assert pdf.content_type == "application/pdf" and len(pdf.sha256) == 64
