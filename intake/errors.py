from enum import StrEnum


class IntakeErrorCode(StrEnum):
    """Machine-readable codes for the intake capability (API ``code``)."""

    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    FIRM_REQUIRED = "firm_required"
    IMPORT_FILE_INVALID = "import_file_invalid"
    IMPORT_ALREADY_COMMITTED = "import_already_committed"
    IMPORT_REJECTED = "import_rejected"
