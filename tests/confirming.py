"""Posting an action that sends a letter the way the page does (issue 16: every letter seen
before it goes): the first post shows the letter, the second confirms it with the digest of what
was shown. For tests about something else that only need the action done."""

from __future__ import annotations

from typing import Any


def confirm_letters(client, url: str, data: dict[str, Any]):
    """Post ``data`` to ``url`` (a complaint action or a letter's send or approve), then confirm
    the letter shown; the confirmation's response. A refusal before the letter is shown is
    returned as it is."""
    shown = client.post(url, data)
    if shown.status_code != 200 or "digest" not in (shown.context or {}):
        return shown
    return client.post(url, {**data, "confirmed": "yes", "letter_digest": shown.context["digest"]})
