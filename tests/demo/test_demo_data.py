"""``make demo``'s data (``load_demo_data``), loaded once for this module at the demo clock's
moment (``make demo``'s, a year into the regime) and checked from every app's side: every
complaint state, FOS referrals at several stages, sent letters of every type, a snapshot and a
return per firm, the Django admin over all of it, the console output, idempotency (a second load
adds nothing), docs/letters.md's checklist against every letter the demo sends
(tests/letters/test_checklist.py reads the checklist), and every API read against the OpenAPI
schema for each of the demo's roles.

Loading the demo costs tens of seconds; it used to be loaded by three modules at three moments.
Here it is loaded twice in all (the second load proves idempotency), inside one transaction
rolled back when the module ends, so no other test sees it. Each test runs in a savepoint inside
that transaction.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from common.tokens import api_token_issue
from complaints.choices import Status
from complaints.models import Complaint, Task
from demo.clock import REGIME_DEMO_MOMENT
from demo.complaints import USERS
from evidence.models import Evidence
from fos.choices import Stage
from fos.fees import firm_ledger
from fos.models import FosDeadline, Referral
from letters.choices import LetterStatus, LetterType
from letters.models import FosLeaflet, Letter
from reporting.models import ClientPositionSnapshot, ReturnVersion, Sup16Return
from tests.api.test_schemathesis import CHECKS, schema
from tests.letters.test_checklist import ROWS, demo_letters

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-data")]

# Demo dates are relative to the load's moment: `make demo`'s (demo/clock.py), pinned, so the FOS
# fee year boundary is always inside and every complaint arrived under the regime.
DEMO_MOMENT = REGIME_DEMO_MOMENT
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
    letters: dict[tuple[str, str], list[str]]  # tests/letters/test_checklist.py's demo_letters


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _media_dir):
    """The demo loaded twice, the console output of the first load, the counts after each, and
    the letters the first load sent."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            time_machine.travel(DEMO_MOMENT, tick=False),
            # The console backend `make demo` has: the demo's e-mails must not reach it.
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
                MEDIA_ROOT=str(_media_dir),  # where every test's files are (tests/conftest.py)
            ),
        ):
            out = io.StringIO()
            call_command("load_demo_data", stdout=out)
            first = _counts()
            letters = demo_letters()
            call_command("load_demo_data", verbosity=0)
            second = _counts()
        yield Demo(printed=out.getvalue(), first=first, second=second, letters=letters)
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

    today = london_date(DEMO_MOMENT)
    due = list(Task.objects.values_list("due_on", flat=True))
    assert any(d < today for d in due) and today in due and any(d > today for d in due)
    kinds = set(Evidence.objects.values_list("kind", flat=True))
    assert {"statement", "screenshot", "chain_explorer_link"} <= kinds
    pdf = Evidence.objects.filter(kind="statement").first()
    assert pdf.content_type == "application/pdf" and len(pdf.sha256) == 64


# --- docs/letters.md's checklist (the rows: tests/letters/test_checklist.py) ------------------


def test_the_demo_runs_under_the_regime_with_acts_before_it_handled_as_such(demo):
    """Issue #14: at the demo clock every complaint arrived after commencement; complaints about
    acts after it move through every state with the Ombudsman open; some about acts before it
    (CP26/4 para 3.24) are answered with the statement that the Ombudsman cannot consider them."""
    available = demo.letters[("complaint", "available")]
    before = demo.letters[("complaint", "before_commencement")]
    assert all(row.endswith("True") for row in available + before)
    assert {row.split()[0] for row in available} == set(Status.values)
    assert before
    assert demo.letters[("final_rejected", "before_commencement")]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.section}: {r.requirement}"[:90])
def test_every_demo_letter_has_the_sentence_the_checklist_names(row, demo):
    letters = demo.letters.get((row.letter_type, row.variant), [])
    assert letters, f"the demo sends no {row.letter_type} letter of variant {row.variant}"
    for text in letters:
        for pattern in row.patterns:
            assert re.search(pattern, text), f"{row.requirement}: {pattern!r} not in:\n{text}"


# --- every API read against the OpenAPI schema (generated requests: tests/api/) --------------

ROLES = ("handler", "supervisor", "reporting", "admin")  # the demo's usernames


def _ids(response) -> list[int]:
    """The ids a list answered (paginated or not), to read each object's own operations."""
    body = response.json()
    items = body.get("results", []) if isinstance(body, dict) else body
    return [i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), int)][:3]


@pytest.mark.usefixtures("live_db_for_wsgi")
def test_every_read_over_the_demo_data_matches_the_schema_for_every_role(demo, time_machine):
    """Generated requests in tests/api/test_schemathesis.py rarely reach a populated object: this
    walks every GET operation with real ids, as each of the demo's handler, supervisor, reporting
    officer and administrator, at the moment the demo was loaded (as `make demo` serves it)."""
    time_machine.move_to(DEMO_MOMENT, tick=False)
    users = get_user_model().objects
    tokens = {
        name: api_token_issue(
            user=users.get(username=name), name="schema", actor=None, now=timezone.now()
        ).clear
        for name in ROLES
    }
    operations = [r.ok() for r in schema.get_all_operations()]
    reads = sorted((o for o in operations if o.method.upper() == "GET"), key=lambda o: o.path)
    ids: dict[str, list[int]] = {}
    failures, checked = [], 0
    for operation in reads:  # sorted: a list comes before its objects' operations
        params = re.findall(r"{(\w+)}", operation.path)
        if len(params) > 1:
            continue
        values = ids.get(operation.path.split("{")[0], []) if params else [None]
        for value in values:
            case = operation.Case(path_parameters={params[0]: value} if params else {})
            for role, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                response = case.call(headers=headers)
                if not params and role == "supervisor" and response.status_code == 200:
                    ids[operation.path] = _ids(response)
                checked += 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except BaseException as failure:  # schemathesis' FailureGroup
                    found = re.findall(
                        r"(\S+ is not [^\n]*|\S+ is a required property)", str(failure)
                    )
                    failures.append(f"GET {case.formatted_path} as {role}: {sorted(set(found))}")
    assert checked > 100
    assert not failures, "\n".join(failures)
