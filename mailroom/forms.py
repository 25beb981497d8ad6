from __future__ import annotations

from django import forms

from .choices import Security


class MailboxForm(forms.Form):
    address = forms.EmailField(
        label="The mailbox's e-mail address",
        help_text="Complainants write to it; replies from case pages are sent from it.",
    )
    host = forms.CharField(label="IMAP server", max_length=255)
    port = forms.IntegerField(label="Port", min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(
        label="Connection security", choices=Security.choices, initial=Security.SSL
    )
    username = forms.CharField(label="Username", max_length=255)
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted. Leave blank to keep the stored password.",
    )
    folder = forms.CharField(label="Folder", max_length=255, initial="INBOX")
    enabled = forms.BooleanField(
        label="Poll this mailbox every two minutes", required=False, initial=True
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your e-mail", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
