"""Personal data never reaches logs or error reports.

- ``RedactPersonalDataFilter`` (on every logging handler) rewrites each record's message and
  traceback with e-mail addresses, UK phone numbers and UK postcodes replaced by placeholders.
- ``PersonalDataExceptionReporterFilter`` (DEFAULT_EXCEPTION_REPORTER_FILTER) is always active,
  even with DEBUG on: it hides every POST value, cookies, and the value of any traceback variable
  whose name suggests personal data or which holds a personal-data model instance; the rest
  are redacted by pattern.
- ``PersonalDataExceptionReporter`` (DEFAULT_EXCEPTION_REPORTER) also hides query-string
  values (searches by name or e-mail) and redacts the exception message.

Names cannot be found by pattern: they are kept out by hiding whole variables and POST data.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED = "[redacted]"

EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: +44 / 0044 / 0 then 9-10 digits, with optional spaces, dashes or brackets.
PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)44\s?\(?0?\)?|\(?0)(?:[\s\-()]*\d){9,10}(?!\d)")
POSTCODE_RE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)

# Traceback variables and settings with these names are hidden whole.
PERSONAL_NAME_RE = re.compile(
    r"name|email|e_mail|phone|mobile|address|postcode|post_code|description|body|note|summary|"
    r"vulnerab|complainant|person|dob|birth|text|content|message|comment|reason|client",
    re.IGNORECASE,
)
# Model instances of these (app_label.ModelName) are personal data whatever they are called.
PERSONAL_MODELS = {"complaints.complainant", "complaints.complaint", "complaints.note"}


def redact(text: str) -> str:
    if not text:
        return text
    text = EMAIL_RE.sub("[email]", text)
    text = PHONE_RE.sub("[phone]", text)
    return POSTCODE_RE.sub("[postcode]", text)


class RedactPersonalDataFilter(logging.Filter):
    """Rewrite the record in place (never drops it): message, arguments and traceback."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _is_personal_value(value) -> bool:
    meta = getattr(value, "_meta", None)
    if meta is not None and getattr(meta, "label_lower", None) in PERSONAL_MODELS:
        return True
    model = getattr(value, "model", None)  # querysets of personal models
    return getattr(getattr(model, "_meta", None), "label_lower", None) in PERSONAL_MODELS


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    cleansed_substitute = REDACTED
    hidden_settings = re.compile(
        r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|EMAIL_HOST|DSN",
        flags=re.IGNORECASE,
    )

    def is_active(self, request) -> bool:
        # Unlike Django's default, also with DEBUG on: a developer's 500 page is seen on screens.
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_cookies(self, request):
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI", "HTTP_COOKIE"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        return {k: redact(v) if isinstance(v, str) else v for k, v in meta.items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        cleansed = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if value == self.cleansed_substitute:
                cleansed.append((name, value))
            elif PERSONAL_NAME_RE.search(name) or _is_personal_value(value):
                cleansed.append((name, self.cleansed_substitute))
            elif name == "request" or isinstance(value, (dict, list, tuple, set)):
                # Containers and requests may carry form data: too risky to show.
                cleansed.append((name, self.cleansed_substitute))
            else:
                cleansed.append((name, _RedactedRepr(value)))
        return cleansed


class _RedactedRepr:
    """Shows a variable through ``redact(repr(value))`` (the report renders variables by repr)."""

    def __init__(self, value):
        self._text = redact(_safe_repr(value))

    def __repr__(self) -> str:
        return self._text


def _safe_repr(value) -> str:
    try:
        return repr(value)
    except Exception as exc:  # repr of a broken object must not break the report
        return f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"


class PersonalDataExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_GET_items" in data:
            data["request_GET_items"] = [(k, REDACTED) for k, _ in data["request_GET_items"]]
        if data.get("exception_value"):
            data["exception_value"] = redact(str(data["exception_value"]))
        for key in ("request_insecure_uri",):
            if data.get(key):
                data[key] = str(data[key]).split("?", 1)[0]
        return data
