"""One error vocabulary for services, the UI and the API.

Services raise ``DomainError`` subclasses carrying a machine-readable ``code`` (an enum member
per app), a human ``message``, optional per-field messages and the rule behind a refusal. The API
renders them as ``{"code": ..., "message": ..., "fields": {...}}``; the UI shows the message.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @classmethod
    def check(
        cls,
        code: StrEnum | str,
        what: str,
        fields: dict[str, list[str]],
        *,
        rule: str | None = None,
    ) -> None:
        """Refuse when ``fields`` holds any error: the message is ``what`` followed by each
        field's first error ("The deadline could not be added: due_on: Required.")."""
        if fields:
            summary = "; ".join(f"{k}: {v[0]}" for k, v in fields.items())
            raise cls(code, f"{what}: {summary}", fields=fields, rule=rule)


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


@dataclass(frozen=True)
class Refusal:
    """Why a guard does not allow an action now, and the rule behind it: a conflict when the
    record is no longer in a state that allows it; bad input when the inputs the refusal names
    in ``fields`` would lift it (a reason to give, say); else a refused transition."""

    code: StrEnum
    message: str
    rule: str | None = None
    state_conflict: bool = False
    fields: dict[str, list[str]] | None = None

    def error(self, **extra: Any) -> DomainError:
        """The error to raise, with ``extra`` (the record's state and version) for the client."""
        if self.fields:
            return ValidationFailed(
                self.code, self.message, fields=self.fields, rule=self.rule, extra=extra
            )
        cls = ConflictError if self.state_conflict else TransitionRefused
        return cls(self.code, self.message, rule=self.rule, extra=extra)


def required(**values: object) -> dict[str, list[str]]:
    """ "Required." against each named value that is missing (None, or blank text), in order."""
    return {
        name: ["Required."]
        for name, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }
