from typing import Any, cast

from django import forms

from complaints.selectors.timeline import SYSTEM


class PeriodMixin(forms.Form):
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the period must not be before its start.")
        return data


class TimelineFilterForm(PeriodMixin):
    actor = forms.ChoiceField(label="Person", required=False)
    kind = forms.MultipleChoiceField(
        label="Kind of record",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all kinds.",
    )

    def __init__(self, *args, actors, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["actor"]).choices = [
            ("", "Anyone"),
            *[(str(pk), label) for pk, label in actors],
            (SYSTEM, "System (no signed-in user)"),
        ]
        cast(forms.MultipleChoiceField, self.fields["kind"]).choices = kinds
        # Field order: person, kind, period.
        self.order_fields(["actor", "kind", "date_from", "date_to"])


class ActivityFilterForm(PeriodMixin):
    """A period (either end may be open); none: everything, newest first."""
