from enum import StrEnum


class ErrorCode(StrEnum):
    """Machine-readable codes for refusals in the reporting app (API ``code``)."""

    VALIDATION = "validation_error"
    NOT_A_REFERENCE_DATE = "not_a_reference_date"
    PERIOD_NOT_ENDED = "period_not_ended"
    IMPORT_REJECTED = "import_rejected"
    BAD_HEADER = "bad_header"
    UNSUPPORTED_FILE = "unsupported_file"
    DUPLICATE_IMPORT = "duplicate_import"
    SNAPSHOT_MISSING = "snapshot_missing"
    NOT_LATEST_VERSION = "not_latest_version"
    INVALID_STATE = "invalid_state"
    SAME_PERSON = "approver_prepared_return"
    NOT_FOUND = "not_found"
    INTEGRITY = "return_integrity"
