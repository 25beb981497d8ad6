"""How the URL isolation test fills URL kwargs. EXTEND THIS when you add a URL.

``tests/audit/test_url_isolation.py`` requests every URL pattern as each role of the owning
firm and as users of another firm. It must know what to put in each URL kwarg: an object built
in the owning firm (``Kw(factory)``), or a plain value (``Kw(factory, scoped=False)``, e.g. a
format or a year). A URL whose kwargs it cannot fill FAILS the test, so a new URL cannot escape
the firm-isolation check.

- ``URL_KWARGS``: kwarg name -> Kw, for every URL.
- ``URL_NAME_KWARGS``: "namespace:name" -> {kwarg -> Kw}, for a URL whose kwarg means something
  else (e.g. ``{"fos:referral_detail": {"pk": Kw(lambda ctx: make_referral(ctx).pk)}}``).
- ``PUBLIC_URLS`` and ``LOGIN_ONLY_URLS`` (``tests/audit/url_public.py``): the URL names outside
  firm isolation (sign-in; the user's own settings and notifications).

A factory gets a ``UrlContext``: ``ctx.firm`` (the owning firm), ``ctx.complaint`` (a complaint
of that firm whose complainant is the leak marker), ``ctx.member`` (a handler of the firm),
``ctx.actor`` (a supervisor of the firm) and ``ctx.now``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from complaints.services import ComplainantData, complainant_create
from tests.audit.url_workday import LEAK_EMAIL, LEAK_NAME, WorkdayObjects
from tests.factories import MembershipFactory, UserFactory, london, make_complaint

# Text that only exists in the owning firm's data: if a user of another firm ever sees it,
# something leaked.
# (LEAK_NAME, LEAK_EMAIL: tests/audit/url_workday.py, re-exported here.)
# FG21/1 detail of the owning firm's complainant: only roles holding view_vulnerability_detail
# may ever see it (tests/audit/test_vulnerability_detail.py).
VULN_NOTE = "Quokka-vulnmark: carer for a parent, prefers calls after 2pm"
VULN_REVIEW_ON = date(2026, 3, 1)  # before the pages' today: review overdue
# A SUP 16.34 quarter after the cryptoasset regime starts, so returns can be computed for it.
REPORTING_Q1 = date(2028, 3, 31)


@dataclass(frozen=True)
class Kw:
    factory: Callable[[UrlContext], Any]
    scoped: bool = True  # an object of the owning firm: other firms must get a 404


@dataclass
class UrlContext(WorkdayObjects):
    firm: Any
    now: datetime = field(default_factory=lambda: london(2026, 4, 8, 10))

    @cached_property
    def actor(self):
        return MembershipFactory(firm=self.firm, role="supervisor").user

    @cached_property
    def member(self):
        return MembershipFactory(firm=self.firm, role="handler", user=UserFactory()).user

    @cached_property
    def complaint(self):
        person = complainant_create(
            firm=self.firm,
            actor=self.actor,
            data=ComplainantData(
                name=LEAK_NAME,
                email=LEAK_EMAIL,
                phone="07700 900123",
                vulnerable_health=True,
                vulnerable_life_events=True,
                vulnerable_resilience=True,
                vulnerable_capability=True,
                vulnerability_note=VULN_NOTE,
                vulnerability_identified_by="third_party",
                vulnerability_consent=True,
                vulnerability_review_on=VULN_REVIEW_ON,
            ),
        )
        return make_complaint(
            firm=self.firm,
            received_at=london(2026, 4, 6, 10),
            actor=self.actor,
            complainant=person,
        )

    @property
    def leak_markers(self) -> list[str]:
        return [LEAK_NAME, LEAK_EMAIL, self.complaint.reference]

    # --- objects of other apps, each built through its own services in the owning firm -------

    @cached_property
    def root_cause(self):
        from remediation.services import root_cause_create

        return root_cause_create(firm=self.firm, actor=self.actor, name="Leakcheck platform")

    @cached_property
    def incident(self):
        from remediation.services import incident_create, incident_link

        incident = incident_create(
            firm=self.firm,
            actor=self.actor,
            now=self.now,
            name="Leakcheck outage",
            started_at=self.now - timedelta(days=3),
        )
        incident_link(
            incident_id=incident.pk,
            complaint_ids=[self.complaint.pk],
            actor=self.actor,
            now=self.now,
        )
        return incident

    @cached_property
    def bulk_run(self):
        from remediation.services import incident_bulk_acknowledge

        return incident_bulk_acknowledge(
            incident_id=self.incident.pk, actor=self.actor, now=self.now, method="email"
        )

    @cached_property
    def remediation_action(self):
        from remediation.services import action_create

        return action_create(
            firm=self.firm,
            actor=self.actor,
            now=self.now,
            title="Fix the leakcheck platform",
            owner_id=self.member.pk,
            due_on=self.now.date() + timedelta(days=30),
            review_on=self.now.date() + timedelta(days=60),
            root_cause_id=self.root_cause.pk,
        )

    @cached_property
    def redress_item(self):
        from remediation.services import RedressData, redress_offer

        return redress_offer(
            complaint_id=self.complaint.pk,
            actor=self.actor,
            now=self.now,
            data=RedressData(kind="goodwill", amount_gbp=Decimal("25.00"), description="Sorry"),
        )

    @cached_property
    def referral(self):
        from fos.services import fos_deadline_add, referral_log

        referral = referral_log(
            complaint_id=self.complaint.pk,
            actor=self.actor,
            now=self.now,
            referred_on=self.now.date(),
            fos_reference="PNX-LEAK1",
        )
        fos_deadline_add(
            referral_id=referral.pk,
            actor=self.actor,
            now=self.now,
            description="Send the case file",
            due_on=self.now.date() + timedelta(days=14),
        )
        return referral

    @cached_property
    def fos_deadline(self):
        return self.referral.deadlines.get()

    @cached_property
    def snapshot(self):
        from tests.reporting.helpers import load_snapshot, position

        return load_snapshot(self.firm, REPORTING_Q1, [position("LEAK-1", "A1")])

    @cached_property
    def sup16_return(self):
        from reporting.services import return_compute

        self.snapshot  # noqa: B018 - the return's client figures come from it
        version = return_compute(
            firm=self.firm, period_end=REPORTING_Q1, actor=None, now=london(2028, 4, 5, 9)
        )
        return version.sup16_return

    @cached_property
    def import_rejection(self):
        from reporting.services import ImportRejected, snapshot_import
        from tests.reporting.helpers import bytes_source, csv_bytes, position

        bad = csv_bytes([position("A", "A1"), ("B", "x", "no", "no", "B1", "arranging", "o", "1")])
        try:
            snapshot_import(
                firm=self.firm,
                as_at=REPORTING_Q1,
                source=bytes_source(bad),
                actor=None,
                now=london(2028, 7, 2, 9),
            )
        except ImportRejected as exc:
            return exc.rejection
        raise AssertionError("the bad snapshot file was accepted")

    def _upload_job(self, kind: str):
        from common.models import UploadJob

        return UploadJob.objects.create(
            kind=kind,
            firm=self.firm,
            uploaded_by=self.member,
            uploaded_at=self.now,
            filename="leak-upload.csv",
            state="succeeded",
        )

    @cached_property
    def snapshot_job(self):
        return self._upload_job("snapshot")

    @cached_property
    def register_job(self):
        return self._upload_job("register_preview")

    @cached_property
    def import_batch(self):
        from intake import columns
        from intake.services import import_preview

        row = {c: "" for c in columns.COLUMN_NAMES}
        row.update(
            firm_reference="LEAK-REG-1",
            received_at="2026-04-01 10:00",
            channel="email",
            activity="operating_catp",
            description="Withdrawal delayed",
            alleged_financial_loss="yes",
            complainant_name=LEAK_NAME,
            complainant_email=LEAK_EMAIL,
        )
        lines = [",".join(columns.COLUMN_NAMES), ",".join(row.values())]
        return import_preview(
            firm=self.firm,
            actor=self.member,
            now=self.now,
            filename="register.csv",
            content=("\n".join(lines) + "\n").encode(),
        )

    @cached_property
    def letter(self):
        from letters.services import letter_create_draft

        return letter_create_draft(
            complaint_id=self.complaint.pk,
            letter_type="acknowledgement",
            actor=self.member,
            now=self.now,
        )

    @cached_property
    def letter_template_version(self):
        from letters.services import letter_template_save

        admin = MembershipFactory(firm=self.firm, role="admin").user
        return letter_template_save(
            firm_id=self.firm.pk,
            letter_type="acknowledgement",
            actor=admin,
            now=self.now,
            subject="We have your complaint {{ reference }}",
            body="Dear {{ complainant_name }}",
            note="Leakcheck wording",
        )

    @cached_property
    def representative(self):
        from complaints.services import RepresentativeData, representative_add

        return representative_add(
            complaint_id=self.complaint.pk,
            actor=self.member,
            now=self.now,
            data=RepresentativeData(
                kind="trusted_person", name="Leakcheck Friend", email="", address="1 Leak Lane"
            ),
        )


def _pk(attr: str) -> Kw:
    return Kw(lambda ctx: getattr(ctx, attr).pk)


def _value(value) -> Kw:
    return Kw(lambda ctx: value, scoped=False)


URL_KWARGS: dict[str, Kw] = {
    "complaint_id": Kw(lambda ctx: ctx.complaint.pk),
    "complaint_pk": Kw(lambda ctx: ctx.complaint.pk),
    # "pk" means a complaint unless the URL is listed in URL_NAME_KWARGS.
    "pk": Kw(lambda ctx: ctx.complaint.pk),
    "user_id": Kw(lambda ctx: ctx.member.pk),
    # A member's place in the firm (audit:reset_two_factor).
    "membership_id": Kw(lambda ctx: ctx.member.memberships.get(firm=ctx.firm).pk),
    "firm_id": Kw(lambda ctx: ctx.firm.pk),
    "item_id": _pk("redress_item"),
    "rep": _pk("representative"),
    "root_cause_id": _pk("root_cause"),
    "format": _value("json"),
    "fmt": _value("csv"),
    "number": _value(1),  # a return's version number: the return in "pk" is scoped
    "metric": _value("received"),
    "table": _value("month"),
    "tile": _value("received"),  # an MI tile: the figure, not an object
    "letter_id": _pk("letter"),
    "evidence_id": _pk("evidence"),
    # Letter templates are the selected firm's own: a type, not an object of the owning firm.
    "letter_type": _value("acknowledgement"),
}


def _names(names: list[str], **kwargs: Kw) -> dict[str, dict[str, Kw]]:
    return dict.fromkeys(names, kwargs)


_FOS_REFERRAL_API = [
    "fos-referral",
    "fos-referral-award",
    "fos-referral-consent",
    "fos-referral-chargeable",
    "fos-referral-reference",
    "fos-referral-checklist",
    "fos-referral-deadlines",
    "fos-referral-case-file",
    *(
        f"fos-referral-{action.replace('_', '-')}"
        for action in (
            "pre_register",
            "refer_back",
            "resume",
            "start_jurisdiction_review",
            "start_investigation",
            "issue_view",
            "accept_view",
            "dispute_view",
            "issue_provisional_decision",
            "issue_final_decision",
            "accept_decision",
            "end",
            "record_compliance",
        )
    ),
]
_FOS_REFERRAL_UI = [
    "fos:detail",
    "fos:award",
    "fos:consent",
    "fos:chargeable",
    "fos:reference",
    "fos:checklist",
    "fos:deadline_add",
    "fos:case_file",
]
_INCIDENT = [
    "remediation:incident",
    "remediation:incident_edit",
    "remediation:incident_link",
    "remediation:incident_unlink",
    "remediation:incident_bulk",
    "api-remediation-incident",
    "api-remediation-incident-complaints",
    "api-remediation-incident-link",
    "api-remediation-incident-unlink",
    "api-remediation-incident-bulk-assign",
    "api-remediation-incident-bulk-acknowledge",
]
_REDRESS_ITEM = [
    "api-remediation-redress-item",
    "api-remediation-redress-accept",
    "api-remediation-redress-decline",
    "api-remediation-redress-pay",
]
_RETURN = [
    "reporting:return_detail",
    "reporting:return_items",
    "reporting:return_approve",
    "reporting:return_submit",
    "reporting:return_export",
    "reporting-return",
    "reporting-version",
    "reporting-items",
    "reporting-approve",
    "reporting-submit",
    "reporting-export",
]

URL_NAME_KWARGS: dict[str, dict[str, Kw]] = {
    **_names(_FOS_REFERRAL_API, pk=_pk("referral")),
    **_names(_FOS_REFERRAL_UI, pk=_pk("referral")),
    "fos:action": {"pk": _pk("referral"), "action": _value("start_jurisdiction_review")},
    "fos:deadline_done": {"pk": _pk("fos_deadline")},
    **_names(
        ["api-task", *(f"api-task-{a}" for a in ("complete", "cancel", "reopen", "reassign"))],
        pk=_pk("task"),
    ),
    "complaints:task_act": {"pk": _pk("task"), "action": _value("complete")},
    "fos-deadline-complete": {"pk": _pk("fos_deadline")},
    "complaints:act": {"action": _value("acknowledge")},
    "complaints:saved_filter_delete": {"pk": _pk("saved_filter")},
    "complaints:complainant": {"pk": Kw(lambda ctx: ctx.complaint.complainant_id)},
    "complaints:data_protection": {"action": _value("record-complaint")},
    **_names(_INCIDENT, pk=_pk("incident")),
    "remediation:bulk_run": {"pk": _pk("bulk_run")},
    "remediation:root_cause_edit": {"pk": _pk("root_cause")},
    "remediation:action": {"pk": _pk("remediation_action")},
    **_names(_REDRESS_ITEM, pk=_pk("redress_item")),
    **_names(_RETURN, pk=_pk("sup16_return")),
    "reporting:snapshot_detail": {"pk": _pk("snapshot")},
    "reporting-snapshot": {"pk": _pk("snapshot")},
    "reporting:rejection_detail": {"pk": _pk("import_rejection")},
    "reporting:rejection_errors": {"pk": _pk("import_rejection")},
    "intake:detail": {"pk": _pk("import_batch")},
    **_names(
        [
            "intake:job_detail",
            "intake:job_status",
            "intake:job_cancel",
            "api-import-job",
            "api-import-job-cancel",
        ],
        pk=_pk("register_job"),
    ),
    **_names(
        [
            "reporting:job_detail",
            "reporting:job_status",
            "reporting:job_cancel",
            "reporting-job",
            "reporting-job-cancel",
        ],
        pk=_pk("snapshot_job"),
    ),
    "intake:confirm": {"pk": _pk("import_batch")},
    **_names(
        ["mailroom:message", "mailroom:raw", "mailroom:to_complaint", "mailroom:set_aside"],
        pk=_pk("inbound_message"),
    ),
    "notifications:mark_read": {"pk": _pk("notification")},
    **_names(
        ["evidence:file", "evidence:download", "evidence:pdf_page", "evidence:remove"],
        pk=_pk("evidence"),
    ),
    "letters:action": {"action": _value("submit")},
    # A saved version of the selected firm's template (each firm numbers its own from 1).
    "letters:template_version": {
        "number": Kw(lambda ctx: ctx.letter_template_version.number, scoped=False)
    },
    # A version of the selected firm's FOS leaflet (every test firm has version 1 on file).
    "letters:fos_leaflet_pdf": {"version": _value(1)},
}
