"""One error vocabulary for services, the UI and the API.

Services raise ``DomainError`` subclasses carrying a machine-readable ``code`` (an enum member
per app), a human ``message``, optional per-field messages and the rule behind a refusal. The API
renders them as ``{"code": ..., "message": ..., "fields": {...}}``; the UI shows the message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class DomainError(Exception):
    """A use case refused: bad input, a rule, or someone else acted first."""

    http_status = 400

    def __init__(
        self,
        code: StrEnum | str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        rule: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.fields = fields or {}
        self.rule = rule
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "fields": self.fields}
        if self.rule:
            body["rule"] = self.rule
        body.update(self.extra)
        return body


class ValidationFailed(DomainError):
    http_status = 400


class NotFound(DomainError):
    http_status = 404


class PermissionDeniedError(DomainError):
    http_status = 403


class TransitionRefused(DomainError):
    """The state machine or a DISP guard does not allow the action now."""

    http_status = 409


class ConflictError(DomainError):
    """Someone else changed the record first; the caller holds a stale view."""

    http_status = 409


def check_field_errors(
    code: StrEnum | str, what: str, errors: dict[str, list[str]], *, rule: str | None = None
) -> None:
    """Refuse bad input field by field: ``ValidationFailed`` whose message reads
    "<what>: field: first problem; ...", or nothing when ``errors`` is empty."""
    if errors:
        summary = "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
        raise ValidationFailed(code, f"{what}: {summary}", fields=errors, rule=rule)


def required(**values: object) -> dict[str, list[str]]:
    """ "Required." against each named value that is missing (None, or blank text), in order."""
    return {
        name: ["Required."]
        for name, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }
