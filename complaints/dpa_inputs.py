"""The data-protection actions on a complaint (DPA 2018 s.164A complaints, subject access
requests), declared once: each action's service, page form and API serializer, whose field
names are the service's keyword arguments (docs/data-protection.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from rest_framework import serializers

from .choices import DeliveryMethod
from .services import dataprotection as dp
from .services import subject_access as sar


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}))


def _method() -> forms.ChoiceField:
    # The panel preselects the complainant's letter channel (never e-mail without an address).
    return forms.ChoiceField(label="Sent by", choices=DeliveryMethod.choices)


class DpaRecordForm(forms.Form):
    summary = _text("What is wrong with the use of their personal data?")
    received_on = _date("Received on (blank: the day the complaint arrived)", required=False)


class _DpaForm(forms.Form):
    dpa_id = forms.IntegerField(widget=forms.HiddenInput)


class DpaAcknowledgeForm(_DpaForm):
    method = _method()


class DpaProgressForm(_DpaForm):
    summary = _text("What the complainant was told", rows=2)
    method = _method()


class DpaOutcomeForm(_DpaForm):
    outcome = _text("The outcome and the reasons for it", rows=4)
    method = _method()


class SarRecordForm(forms.Form):
    scope = _text("What did they ask for?", rows=2)
    received_on = _date("Request received on")
    identity_requested_on = _date("Identity information asked for on", required=False)


class _SarForm(forms.Form):
    sar_id = forms.IntegerField(widget=forms.HiddenInput)


class SarIdentityForm(_SarForm):
    received_on = _date("Identity information received on")


class SarClarifyForm(_SarForm):
    question = _text("What the requester was asked to clarify", rows=2)
    asked_on = _date("Asked on")


class SarClarifiedForm(_SarForm):
    received_on = _date("Clarification received on")


class SarExtendForm(_SarForm):
    reason = _text("Why the request needs two more months (sent to the requester)", rows=2)
    method = _method()


class SarAnswerForm(_SarForm):
    answered_on = _date("Answered on")


def serializer_for(form: type[forms.Form]) -> type[serializers.Serializer[Any]]:
    """The API body of a page form: the same fields and the same optional ones."""
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {}
    for name, field in form.base_fields.items():
        required = field.required
        if isinstance(field, forms.DateField):
            fields[name] = serializers.DateField(required=required, allow_null=not required)
        elif isinstance(field, forms.IntegerField):
            fields[name] = serializers.IntegerField(min_value=1)
        elif isinstance(field, forms.ChoiceField):
            fields[name] = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)
        else:
            fields[name] = serializers.CharField(required=required)
    return type(
        f"{form.__name__.removesuffix('Form')}Serializer", (serializers.Serializer,), fields
    )


@dataclass(frozen=True)
class DpaAction:
    path: str
    service: Callable[..., Any]
    form: type[forms.Form]
    summary: str
    rule: str
    example: dict[str, Any]

    @property
    def serializer(self) -> type[serializers.Serializer[Any]]:
        return _SERIALIZERS[self.path]


DPA_ACTIONS: dict[str, DpaAction] = {
    a.path: a
    for a in (
        DpaAction(
            "record-complaint",
            dp.dpa_complaint_record,
            DpaRecordForm,
            "Record a data-protection complaint",
            "DPA 2018 s.164A(1)",
            {"summary": "Shared my wallet address with a partner."},
        ),
        DpaAction(
            "acknowledge",
            dp.dpa_complaint_acknowledge,
            DpaAcknowledgeForm,
            "Send the data-protection acknowledgement",
            "DPA 2018 s.164A(3)",
            {"dpa_id": 3, "method": "email"},
        ),
        DpaAction(
            "progress",
            dp.dpa_complaint_progress,
            DpaProgressForm,
            "Record a progress update",
            "DPA 2018 s.164A(5)(b)",
            {"dpa_id": 3, "summary": "We have asked our partner to delete it."},
        ),
        DpaAction(
            "outcome",
            dp.dpa_complaint_outcome,
            DpaOutcomeForm,
            "Send the data-protection outcome",
            "DPA 2018 s.164A(4)(b)",
            {"dpa_id": 3, "outcome": "The address was shared in error; it is deleted."},
        ),
        DpaAction(
            "record-sar",
            sar.sar_record,
            SarRecordForm,
            "Record a subject access request",
            "UK GDPR Art 12(3)",
            {"scope": "All my withdrawal records.", "received_on": "2026-09-03"},
        ),
        DpaAction(
            "sar-identity",
            sar.sar_identity_received,
            SarIdentityForm,
            "Record the identity information received",
            "UK GDPR Art 12(3)",
            {"sar_id": 4, "received_on": "2026-08-20"},
        ),
        DpaAction(
            "sar-clarify",
            sar.sar_clarification_ask,
            SarClarifyForm,
            "Stop the clock: ask to clarify the scope",
            "UK GDPR Art 12(3)",
            {"sar_id": 4, "question": "Which account?", "asked_on": "2027-03-05"},
        ),
        DpaAction(
            "sar-clarified",
            sar.sar_clarification_received,
            SarClarifiedForm,
            "Restart the clock: clarification received",
            "UK GDPR Art 12(3)",
            {"sar_id": 4, "received_on": "2027-03-14"},
        ),
        DpaAction(
            "sar-extend",
            sar.sar_extend,
            SarExtendForm,
            "Extend by two months (notice with reasons)",
            "UK GDPR Art 12(3)",
            {"sar_id": 4, "reason": "Six years of records in three systems."},
        ),
        DpaAction(
            "sar-answer",
            sar.sar_answer,
            SarAnswerForm,
            "Record the answer",
            "UK GDPR Art 15",
            {"sar_id": 4, "answered_on": "2026-10-02"},
        ),
    )
}
_SERIALIZERS = {path: serializer_for(a.form) for path, a in DPA_ACTIONS.items()}


def arguments(data: Mapping[str, Any]) -> dict[str, Any]:
    """The service's keywords from a form's or serializer's data: blanks left out."""
    return {k: v for k, v in data.items() if v not in (None, "")}
