from enum import StrEnum


class FosErrorCode(StrEnum):
    """Machine-readable codes for refusals in the FOS tracker (API ``code``)."""

    NOT_FOUND = "fos_referral_not_found"
    VALIDATION = "validation_error"
    INVALID_STAGE = "invalid_stage"
    STALE = "stale_version"
    NOT_A_COMPLAINT = "not_a_complaint"
    ALREADY_REFERRED = "already_referred"
    DUPLICATE_FOS_REFERENCE = "duplicate_fos_reference"
    OUTCOME_REQUIRED = "outcome_required"
    FIRM_HAS_NOT_HAD_ITS_TIME = "firm_has_not_had_its_time"
    ACCEPTANCE_DEADLINE_PASSED = "acceptance_deadline_passed"
    ACCEPTANCE_DEADLINE_NOT_PASSED = "acceptance_deadline_not_passed"
    NOTHING_TO_COMPLY_WITH = "nothing_to_comply_with"
    CONSENT_IRREVOCABLE = "consent_irrevocable"
    DATE_OUT_OF_ORDER = "date_out_of_order"
    DEADLINE_DONE = "fos_deadline_already_done"
    AWARD_NOT_ALLOWED = "award_not_allowed"
    SHORTFALL_REASON_REQUIRED = "shortfall_reason_required"
