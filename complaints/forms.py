"""Forms for the complaint handler's UI. They parse and check input; services do the work.

A ``ValidationFailed`` from a service carries per-field messages; ``apply_service_errors`` (from
``common.pageactions``) puts them on the matching form field so the handler sees each error
where it belongs.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.widgets import PlainSelect

from .choices import (
    Activity,
    Channel,
    ComplainantType,
    DeliveryMethod,
    ForwardPart,
    HolidayRegion,
    Nation,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
    Status,
)
from .disp.clock import dates_out_of_order
from .glossary import glossary_test
from .selectors import TABS, WINDOWS
from .vulnerability_forms import VulnerabilityFields

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def local_now_minute(now: datetime) -> datetime:
    return timezone.localtime(now).replace(second=0, microsecond=0)


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _text(label: str, rows: int = 3) -> forms.CharField:
    """An optional free-text box."""
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _consents_to_waive() -> forms.BooleanField:
    return forms.BooleanField(
        label="The firm consents to waive the FOS time limits (DISP 2.8.2R(5))", required=False
    )


def apply_django_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e.messages)
    else:
        form.add_error(None, error.messages)


# --- queue ---------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    # The menus are PlainSelect: the queue renders them on every page.
    tab = forms.ChoiceField(choices=TABS, required=False)
    q = forms.CharField(
        label="Search",
        required=False,
        help_text="Reference, complainant name or words in the description.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        choices=[("", "Open (response owed)"), ("all", "Any status"), *Status.choices],
        required=False,
        widget=PlainSelect,
    )
    activity = forms.ChoiceField(
        choices=_blank("Any activity", Activity.choices), required=False, widget=PlainSelect
    )
    owner = forms.ChoiceField(required=False, widget=PlainSelect)
    window = forms.ChoiceField(
        label="Deadline",
        choices=_blank("Any deadline", WINDOWS),
        required=False,
        widget=PlainSelect,
    )
    vulnerable = forms.BooleanField(label="Vulnerable complainant only", required=False)
    vulnerability_failure = forms.BooleanField(
        label="Failure to respond to vulnerability only", required=False
    )
    tasks_due = forms.BooleanField(label="Tasks due today or overdue", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Anyone"),
            ("none", "Unassigned"),
            *[(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members],
        ]


# --- log a complaint ----------------------------------------------------------------------

NEW, EXISTING = "new", "existing"


class ComplaintLogForm(VulnerabilityFields):
    # Glossary "complaint" limb (2): dissatisfaction + alleged loss, distress or inconvenience.
    expression_of_dissatisfaction = forms.BooleanField(
        label="The person is expressing dissatisfaction (oral or written, justified or not)",
        required=False,
        initial=True,
    )
    alleged_financial_loss = forms.BooleanField(
        label="They allege they have suffered (or may suffer) financial loss", required=False
    )
    alleged_material_distress = forms.BooleanField(
        label="They allege material distress", required=False
    )
    alleged_material_inconvenience = forms.BooleanField(
        label="They allege material inconvenience", required=False
    )
    regime = forms.ChoiceField(
        choices=Regime.choices,
        initial=Regime.STANDARD,
        widget=forms.RadioSelect,
        help_text="PSD/EMD applies to complaints about payment services or e-money rights and "
        "obligations (DISP 1.6.2AR).",
    )
    received_at = forms.DateTimeField(
        label="Received (date and time, UK time)",
        widget=_datetime_input(),
        help_text="When the firm, or anyone acting for it, first received the complaint.",
    )
    channel = forms.ChoiceField(choices=_blank("Choose…", Channel.choices))
    received_via = forms.ChoiceField(
        label="Received via", choices=ReceivedVia.choices, initial=ReceivedVia.DIRECT
    )
    forwarded_from_firm = forms.CharField(
        label="Forwarding firm (if forwarded under DISP 1.7)", required=False, max_length=200
    )
    activity = forms.ChoiceField(
        label="Activity complained about", choices=_blank("Choose…", Activity.choices)
    )
    relationship = forms.ChoiceField(
        label="Relationship with the firm",
        choices=Relationship.choices,
        initial=Relationship.CUSTOMER,
    )
    description = forms.CharField(
        label="What is the complaint about?", widget=forms.Textarea(attrs={"rows": 4})
    )
    event_date = forms.DateField(
        label="Date of the event complained of", required=False, widget=_date_input()
    )
    event_date_unknown = forms.BooleanField(
        label="The date of the event is not known",
        required=False,
        help_text="CP26/4 para 3.24: whether the Financial Ombudsman Service can consider the "
        "complaint depends on it. Give the date or tick this before a final or holding response.",
    )
    awareness_date = forms.DateField(
        label="Date the complainant became aware (or ought reasonably to have)",
        required=False,
        widget=_date_input(),
    )
    external_reference = forms.CharField(
        label="Your reference in another system", required=False, max_length=64
    )

    complainant_mode = forms.ChoiceField(
        label="Is this a new or an existing complainant?",
        choices=[(NEW, "A new complainant"), (EXISTING, "An existing complainant")],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    complainant_search = forms.CharField(
        label="Find an existing complainant",
        required=False,
        help_text="Name, e-mail or client reference (at least 2 characters).",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    complainant_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Full name", required=False, max_length=200)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Telephone", required=False, max_length=40)
    address = _text("Postal address")
    client_reference = forms.CharField(label="Client reference", required=False, max_length=64)
    complainant_type = forms.ChoiceField(
        label="Type of complainant (DISP 2.7.3R)",
        choices=ComplainantType.choices,
        initial=ComplainantType.CONSUMER,
    )
    is_retail = forms.BooleanField(label="Retail client", required=False, initial=True)
    owner = forms.ChoiceField(label="Owner", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Unassigned"),
            *[(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members],
        ]
        # htmx: search existing complainants as the handler types; re-check duplicates when
        # the identifying details of a new complainant change.
        self.fields["complainant_search"].widget.attrs.update(
            {
                "hx-get": reverse("complaints:complainant_lookup"),
                "hx-trigger": "keyup changed delay:300ms, search",
                "hx-target": "#complainant-results",
            }
        )
        for name in ("name", "email", "client_reference", "description"):
            self.fields[name].widget.attrs["class"] = "js-live"

    def clean(self):
        super().clean()
        data = self.cleaned_data
        mode = data.get("complainant_mode")
        if mode == NEW and not (data.get("name") or "").strip():
            self.add_error("name", "Enter the complainant's full name.")
        if mode == EXISTING and not data.get("complainant_id"):
            self.add_error("complainant_search", "Find and choose the existing complainant.")
        return data

    @property
    def service_field_map(self) -> dict[str, str]:
        existing = self.cleaned_data.get("complainant_mode") == EXISTING
        return {"complainant": "complainant_search" if existing else "name"}


def glossary_verdict(data: dict) -> tuple[bool, str]:
    """The Glossary complaint test on the form's answers, explained in words."""
    verdict = glossary_test(
        dissatisfied=bool(data.get("expression_of_dissatisfaction")),
        financial_loss=bool(data.get("alleged_financial_loss")),
        material_distress=bool(data.get("alleged_material_distress")),
        material_inconvenience=bool(data.get("alleged_material_inconvenience")),
    )
    return verdict.is_complaint, verdict.explanation


# --- actions on a complaint ---------------------------------------------------------------


class _VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class _SentForm(_VersionedForm):
    # No default here: the page preselects the complainant's letter channel (never e-mail to
    # a complainant with no address; complaints.views.detail._action_form).
    method = forms.ChoiceField(label="Sent by", choices=DeliveryMethod.choices)
    sent_at = forms.DateTimeField(
        label="Sent at (UK time)",
        required=False,
        widget=_datetime_input(),
        help_text="Leave blank for now.",
    )


_OUTCOMES = [(o, Outcome(o).label) for o in Outcome.decisions()]


class AcknowledgeForm(_SentForm):
    pass


class StartInvestigationForm(_VersionedForm):
    pass


class RecordEventDateForm(_VersionedForm):
    """CP26/4 para 3.24: the date of the act or omission, or that it is unknown (one of them)."""

    event_date = forms.DateField(
        label="Date of the act or omission complained of", required=False, widget=_date_input()
    )
    event_date_unknown = forms.BooleanField(
        label="The date is not known",
        required=False,
        help_text="Letters then use the firm's wording for an unknown event date.",
    )


class ResolveSummaryForm(_SentForm):
    outcome = forms.ChoiceField(choices=_blank("Choose…", _OUTCOMES))
    accepted_at = forms.DateTimeField(
        label="Complainant accepted the resolution at (UK time)",
        required=False,
        widget=_datetime_input(),
        help_text="DISP 1.5.2AR. Leave blank if the same as the SRC.",
    )
    consents_to_waive = _consents_to_waive()
    summary = _text("Summary of the resolution")


def _expected_final_response(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=_date_input())


class HoldingResponseForm(_SentForm):
    reasons = _text("Why a final response cannot be sent yet")
    expected_final_response_on = _expected_final_response(
        "When the complainant can expect the final response"
    )


class ProgressUpdateForm(_SentForm):
    progress = _text("What has happened so far, and what happens next")
    expected_final_response_on = _expected_final_response(
        "When the complainant can expect the final response (optional)"
    )


class FinalResponseForm(_SentForm):
    outcome = forms.ChoiceField(choices=_blank("Choose…", _OUTCOMES))
    six_month_wording = forms.BooleanField(
        label="The letter tells the complainant about the six-month FOS time limit "
        "(DISP 1 Annex 3R)",
        required=False,
        initial=True,
    )
    consents_to_waive = _consents_to_waive()
    summary = _text("Summary of the response")


class RejectTimeBarredForm(_SentForm):
    summary = _text("Summary of the rejection")


class ForwardForm(_SentForm):
    """DISP 1.7.1R: the complaint, or the relevant part of it; the page says what each does."""

    to_firm = forms.CharField(label="Firm responsible", max_length=200, required=False)
    to_contact = _text("Its contact details", rows=2)
    reason = _text("Why the other firm is responsible (for part: which part, and why)", rows=2)
    part = forms.ChoiceField(
        label="What is forwarded",
        choices=[
            (ForwardPart.WHOLE, "The whole complaint (we stop handling it)"),
            (ForwardPart.PART, "Part of the complaint (we keep and answer the rest)"),
        ],
        initial=ForwardPart.WHOLE,
        widget=forms.RadioSelect,
        help_text="The notice is our final response on what is forwarded (DISP 1.7.1R(2)). "
        "Forwarding part keeps the rest open with its deadlines: send its final response later.",
    )


class WithdrawForm(_VersionedForm):
    withdrawn_at = forms.DateTimeField(
        label="Withdrawn at (UK time)",
        required=False,
        widget=_datetime_input(),
        help_text="Leave blank for now.",
    )
    reason = _text("Note", rows=2)


class CloseForm(_VersionedForm):
    # Required by the service only while redress is outstanding (DISP 1.4.1R(5)).
    reason = forms.CharField(
        label="Reason for closing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed while accepted redress is unpaid or an offer is still open.",
    )


class ReopenForm(_VersionedForm):
    reason = _text("Why is it reopened?", rows=2)


class AssignForm(_VersionedForm):
    owner = forms.ChoiceField(label="Owner", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Unassigned"),
            *[(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members],
        ]


class NoteForm(forms.Form):
    body = _text("Internal note (never shown to the complainant)")


# --- deadline calculator ------------------------------------------------------------------


class CalculatorForm(forms.Form):
    received_at = forms.DateTimeField(
        label="Received (date and time, UK time)", widget=_datetime_input()
    )
    nation = forms.ChoiceField(
        label="Complaint-handling establishment in",
        choices=Nation.choices,
        help_text="Its bank holidays decide which days are business days.",
    )
    regime = forms.ChoiceField(choices=Regime.choices, widget=forms.RadioSelect)
    close_of_business = forms.TimeField(
        label="Close of business",
        initial=time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    event_date = forms.DateField(label="Event complained of", required=False, widget=_date_input())
    awareness_date = forms.DateField(
        label="Complainant became aware", required=False, widget=_date_input()
    )
    holding_response_sent = forms.BooleanField(
        label="A holding response was sent (PSD/EMD: 35 business days)", required=False
    )
    final_response_sent = forms.DateField(
        label="Final response or SRC sent on", required=False, widget=_date_input()
    )
    six_month_wording = forms.BooleanField(
        label="The response included the six-month FOS wording (DISP 2.8.3G)",
        required=False,
        initial=True,
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        event, aware = data.get("event_date"), data.get("awareness_date")
        if event and aware and aware < event:
            self.add_error("awareness_date", "Awareness cannot be before the event.")
        if received := data.get("received_at"):
            for field, relation in dates_out_of_order(
                received,
                event_date=event,
                awareness_date=aware,
                final_response_sent=data.get("final_response_sent"),
            ).items():
                self.add_error(field, f"Cannot be {relation} the complaint was received.")
        return data


class BankHolidayForm(forms.Form):
    """One proclamation: a bank holiday added for a region, or one moved to another day."""

    region = forms.ChoiceField(
        label="Applies in",
        choices=HolidayRegion.choices,
        initial=HolidayRegion.ENGLAND_AND_WALES,
        help_text="England and Wales share one calendar: enter their day once.",
    )
    day = forms.DateField(label="New bank holiday", widget=_date_input())
    replaces = forms.DateField(
        label="Replaces (when the proclamation moves a bank holiday)",
        required=False,
        widget=_date_input(),
        help_text="The day that stops being a bank holiday. Leave empty for an extra day.",
    )
    name = forms.CharField(label="Name", max_length=120)
