from django import forms

from complaints.choices import ForwardPart, Outcome, UnknownEventDateWording

from .choices import Delivery, LetterType

DRAFTABLE = [
    (t.value, t.label)
    for t in LetterType
    if t != LetterType.FORWARDING_COVER and t not in LetterType.data_protection_types()
]


class NewLetterForm(forms.Form):
    letter_type = forms.ChoiceField(choices=DRAFTABLE, label="Letter")
    outcome = forms.ChoiceField(
        choices=[("", "—")] + [(o, Outcome(o).label) for o in Outcome.decisions()],
        required=False,
        help_text="Final responses and SRCs: the decision (it chooses the final response variant).",
    )
    consents_to_waive = forms.BooleanField(
        required=False,
        label="The firm consents to waive the time limits",
        help_text="DISP 1 Annex 3R: the letter then uses the consent wording, and no six-month "
        "limit runs (DISP 2.8.2R(5)). Consent cannot be withdrawn (DISP 2.8.2AR).",
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Reasons for the decision, for the delay (holding responses), or why another "
        "firm is responsible (forwarding).",
    )
    redress_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Redress offered",
    )
    expected_final_response_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Expected final response date",
        help_text="8-week holding responses (DISP 1.6.2R(2)(a)).",
    )
    other_firm_name = forms.CharField(required=False, label="Other firm (DISP 1.7)")
    other_firm_contact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Other firm's contact details",
        help_text="Postal address and complaints email; the covering letter is emailed there.",
    )
    forward_part = forms.ChoiceField(
        choices=[("", "—"), *ForwardPart.choices], required=False, label="What is forwarded"
    )


class EditLetterForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 22}),
        label="Wording",
        help_text="Blank lines separate paragraphs; '## ' starts a heading, '- ' a list item.",
    )


class SendForm(forms.Form):
    delivery = forms.ChoiceField(choices=Delivery.choices)


class ReviewForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "true"}))
    note = forms.CharField(
        max_length=200, required=False, label="What changed", help_text="Kept with the version."
    )


class PreviewOptionsForm(forms.Form):
    fos_available = forms.BooleanField(required=False, initial=True, label="FOS available")
    consents_to_waive = forms.BooleanField(required=False, label="Consents to waive")
    is_psd = forms.BooleanField(required=False, label="PSD/EMD complaint")
    is_partial_forward = forms.BooleanField(required=False, label="Part forwarded")
    outcome_code = forms.ChoiceField(
        choices=[(o, Outcome(o).label) for o in Outcome.decisions()],
        required=False,
        initial=Outcome.NOT_UPHELD,
        label="Outcome",
    )


class FosLeafletForm(forms.Form):
    file = forms.FileField(
        label="The FOS leaflet (PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text="The Financial Ombudsman Service's standard explanatory leaflet, as the FOS "
        "publishes it.",
    )
    label = forms.CharField(
        max_length=120,
        label="Edition",
        help_text="How the FOS names this edition, e.g. the date or code printed on it.",
    )
    checked_on = forms.DateField(
        label="Checked on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date you checked that this is the FOS's current leaflet.",
    )


class UnknownEventDateWordingForm(forms.Form):
    wording = forms.ChoiceField(
        label="What letters say when the event date is unknown",
        choices=UnknownEventDateWording.choices,
        widget=forms.RadioSelect,
    )


class WelshSettingForm(forms.Form):
    offers_welsh = forms.BooleanField(
        label="Offer letters in Welsh",
        required=False,
        help_text="Complainants may then choose Welsh; their letters use the Welsh templates.",
    )
