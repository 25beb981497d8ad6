"""Forms parse and type the input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from complaints.choices import Activity, DeliveryMethod

from .models import ActionStatus, InterestBasis, InterestPurpose, RedressKind

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class RedressOfferForm(forms.Form):
    kind = forms.ChoiceField(choices=RedressKind.choices)
    amount_gbp = forms.DecimalField(
        label="Amount (GBP)", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    asset = forms.CharField(required=False, max_length=20, help_text="Crypto loss: e.g. BTC.")
    quantity = forms.DecimalField(required=False, max_digits=38, decimal_places=18)
    valuation_date = forms.DateField(required=False, widget=DATE)
    unit_price_gbp = forms.DecimalField(
        label="Unit price (GBP)", required=False, max_digits=24, decimal_places=8
    )
    price_source = forms.CharField(required=False, max_length=200)
    interest_basis = forms.ChoiceField(choices=_blank(InterestBasis.choices), required=False)
    interest_purpose = forms.ChoiceField(choices=_blank(InterestPurpose.choices), required=False)
    interest_from = forms.DateField(required=False, widget=DATE)
    interest_to = forms.DateField(required=False, widget=DATE)
    fos_referred_on = forms.DateField(label="Referred to FOS on", required=False, widget=DATE)
    interest_direction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RedressStepForm(forms.Form):
    op = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline"), ("pay", "pay")])
    reason = forms.CharField(required=False)
    payment_reference = forms.CharField(required=False, max_length=100)
    version = forms.IntegerField(required=False)


class NoRedressForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class RootCauseAssignForm(forms.Form):
    root_cause = forms.IntegerField()
    note = forms.CharField(required=False, max_length=300)


class IncidentChoiceForm(forms.Form):
    incident = forms.IntegerField()


class IncidentForm(forms.Form):
    name = forms.CharField(max_length=160)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    started_at = forms.DateTimeField(label="Started", widget=DATETIME)
    ended_at = forms.DateTimeField(label="Ended", required=False, widget=DATETIME)


class SearchForm(forms.Form):
    reference = forms.CharField(required=False)
    text = forms.CharField(label="Text", required=False)
    received_from = forms.DateField(label="Received from", required=False, widget=DATE)
    received_to = forms.DateField(label="Received to", required=False, widget=DATE)
    activity = forms.ChoiceField(choices=_blank(Activity.choices), required=False)


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[("assign", "Assign"), ("acknowledge", "Acknowledge")])
    owner = forms.IntegerField(required=False)
    method = forms.ChoiceField(choices=DeliveryMethod.choices, required=False)


class RootCauseForm(forms.Form):
    name = forms.CharField(max_length=120)
    parent = forms.IntegerField(required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    root_cause = forms.IntegerField(required=False)
    incident = forms.IntegerField(required=False)
    owner = forms.IntegerField()
    due_on = forms.DateField(widget=DATE)
    review_on = forms.DateField(label="Effectiveness review on", widget=DATE)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    fix_date = forms.DateField(required=False, widget=DATE)
    review_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="Received from", required=False, widget=DATE)
    date_to = forms.DateField(label="Received to", required=False, widget=DATE)
