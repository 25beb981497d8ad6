from enum import StrEnum


class MailErrorCode(StrEnum):
    """Refusals of the mailroom (API ``code``)."""

    VALIDATION = "validation_error"
    NO_MAILBOX = "mailbox_not_set_up"
    NO_RECIPIENT = "no_email_address"
    NOT_FOUND = "message_not_found"
    ALREADY_FILED = "message_already_filed"
    NOT_FILEABLE = "message_not_a_complaint"
    CONNECTION_FAILED = "mailbox_connection_failed"
