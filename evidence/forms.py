from django import forms

from .choices import Kind
from .filetypes import TYPES

_ACCEPT = ",".join(f".{ext}" for t in TYPES.values() for ext in t.extensions)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of evidence", choices=Kind.choices)
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="What it is, e.g. “Call of 3 Apr 2026 with the complainant”. "
        "Blank: the file's name.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text="PDF, image (PNG, JPEG, GIF, WebP), recording (MP3, WAV, M4A), Word, Excel, "
        "text, CSV or e-mail (.eml). Its content must match its name.",
        widget=forms.ClearableFileInput(attrs={"accept": _ACCEPT}),
    )
    url = forms.CharField(
        label="Chain-explorer link",
        required=False,
        max_length=2000,
        help_text="For a chain-explorer link only: the full https:// address. It is not opened "
        "by this system.",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(label="Why remove it from the case", max_length=300)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
