from enum import StrEnum


class EvidenceErrorCode(StrEnum):
    """Machine-readable codes for refusals about evidence (API ``code``)."""

    VALIDATION = "validation_error"
    EMPTY = "evidence_empty"
    TOO_LARGE = "evidence_too_large"
    TYPE_NOT_ALLOWED = "evidence_type_not_allowed"
    EXTENSION_MISMATCH = "evidence_extension_mismatch"
    URL_INVALID = "evidence_url_invalid"
    DUPLICATE = "evidence_duplicate"
    ALREADY_REMOVED = "evidence_already_removed"
    STALE = "stale_version"
    NOT_FOUND = "evidence_not_found"
