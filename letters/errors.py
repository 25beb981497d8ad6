from enum import StrEnum


class LetterErrorCode(StrEnum):
    """Machine-readable codes for refusals in the letters app (API ``code``)."""

    NOT_FOUND = "letter_not_found"
    CHANGED_SINCE_SHOWN = "letter_changed_since_preview"
    VALIDATION = "validation_error"
    CONTENT_INCOMPLETE = "letter_content_incomplete"
    APPROVAL_REQUIRED = "approval_required"
    SELF_APPROVAL = "self_approval_refused"
    NOT_EDITABLE = "letter_not_editable"
    NOT_AWAITING_APPROVAL = "letter_not_awaiting_approval"
    LETTER_MISMATCH = "letter_does_not_match"
    RECIPIENT_EMAIL_MISSING = "recipient_email_missing"
    TEMPLATE_INVALID = "template_invalid"
    PERMISSION_DENIED = "permission_denied"
    SEND_WITH_NOTICE = "send_with_forwarding_notice"
    FOS_LEAFLET_MISSING = "fos_leaflet_missing"
    FOS_LEAFLET_INVALID = "fos_leaflet_invalid"
    NOT_EMAILED = "letter_not_emailed"
    ALREADY_DELIVERED = "letter_already_delivered"
    REPRESENTATIVE_AUTHORITY = "representative_authority_invalid"
