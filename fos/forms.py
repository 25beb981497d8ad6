"""Forms validate input shape only; the services decide (and name the rule when they refuse)."""

from typing import Any

from django import forms

from .choices import EndKind, FosOutcome, InterestBasis, ReferredBy

DATE = forms.DateInput(attrs={"type": "date"})


class _Unique(forms.Form):
    """Several forms share the referral page: prefix their element ids so labels stay unique."""

    id_prefix = "f"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class LogReferralForm(forms.Form):
    referred_on = forms.DateField(label="Date referred to the FOS", widget=DATE)
    fos_reference = forms.CharField(
        label="FOS case reference", max_length=40, required=False, help_text="If known yet."
    )
    representative_id = forms.TypedChoiceField(
        label="Brought by a recorded representative",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Chosen: 'Referred by' and the name follow the representative's kind (a "
        "claims management company or solicitor is a professional representative).",
    )
    referred_by = forms.ChoiceField(label="Referred by", choices=ReferredBy.choices)
    representative_name = forms.CharField(
        label="Representative's name",
        max_length=200,
        required=False,
        help_text="Required for a professional representative (e.g. a claims management company).",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, representatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "None: use 'Referred by'")]
        choices += [
            (rep.pk, f"{rep.display_name} ({rep.get_kind_display()})") for rep in representatives
        ]
        field = self.fields["representative_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("representative_id") is None
            and data.get("referred_by") == ReferredBy.PROFESSIONAL_REPRESENTATIVE
            and not (data.get("representative_name") or "").strip()
        ):
            self.add_error("representative_name", "Name the professional representative.")
        return data


_ACTION_FIELDS = {
    "on": lambda: forms.DateField(
        label="Date", widget=DATE, required=False, help_text="Defaults to today."
    ),
    "outcome": lambda: forms.ChoiceField(label="Outcome", choices=FosOutcome.choices),
    "response_due": lambda: forms.DateField(
        label="Firm must respond by",
        widget=DATE,
        required=False,
        help_text="Added to the FOS deadlines.",
    ),
    "acceptance_deadline": lambda: forms.DateField(label="Complainant must accept by", widget=DATE),
    "kind": lambda: forms.ChoiceField(label="How it ended", choices=EndKind.choices),
    "amount_paid": lambda: forms.DecimalField(
        label="Amount paid (£)", min_value=0, decimal_places=2, required=False
    ),
    "shortfall_reason": lambda: forms.CharField(
        label="Why less than the award was paid",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed when the amount paid is less than the award (DISP 3.7, FSMA s.229).",
    ),
}


class StageActionForm(_Unique):
    note = forms.CharField(label="Note", required=False, max_length=500)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spec, **kwargs):
        kwargs.setdefault("auto_id", f"id_{spec.name}_%s")
        super().__init__(*args, **kwargs)
        self.spec = spec
        for name in spec.fields:
            self.fields[name] = _ACTION_FIELDS[name]()
        self.order_fields([*spec.fields, "note"])


class AwardForm(_Unique):
    id_prefix = "award"
    amount = forms.DecimalField(label="Money award (£)", min_value=0, decimal_places=2)
    interest_basis = forms.ChoiceField(
        label="Interest basis",
        choices=[("", "Default for the referral date"), *InterestBasis.choices],
        required=False,
    )
    interest_from = forms.DateField(label="Interest runs from", widget=DATE, required=False)
    interest_note = forms.CharField(label="Interest period / note", max_length=300, required=False)
    directions = forms.CharField(
        label="Directions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConsentForm(_Unique):
    id_prefix = "consent"
    confirm = forms.BooleanField(
        label="The firm consents to the FOS considering this complaint although a time limit "
        "has expired. I understand this consent cannot be withdrawn (DISP 2.8.2AR).",
    )


class ChargeableForm(_Unique):
    id_prefix = "chargeable"
    chargeable_on = forms.DateField(
        label="Chargeable from",
        widget=DATE,
        required=False,
        help_text="Leave empty if the FOS did not make it a chargeable case.",
    )
    note = forms.CharField(
        label="Source", max_length=300, help_text="e.g. the FOS invoice or conversion letter."
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReferenceForm(_Unique):
    id_prefix = "reference"
    fos_reference = forms.CharField(label="FOS case reference", max_length=40)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeadlineForm(_Unique):
    id_prefix = "deadline"
    description = forms.CharField(label="What the FOS asked for", max_length=200)
    due_on = forms.DateField(label="Due", widget=DATE)
    source = forms.CharField(
        label="Set in", max_length=200, required=False, help_text="e.g. FOS email of 3 May."
    )
