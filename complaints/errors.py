from enum import StrEnum


class ErrorCode(StrEnum):
    """Machine-readable codes for refusals in the complaints app (API ``code``)."""

    NOT_FOUND = "complaint_not_found"
    VALIDATION = "validation_error"
    INVALID_STATE = "invalid_state"
    STALE = "stale_version"
    NOT_A_COMPLAINT = "not_a_complaint"
    SRC_DEADLINE_PASSED = "src_deadline_passed"
    OUTCOME_REQUIRED = "outcome_required"
    NOT_TIME_BARRED = "not_time_barred"
    WAIVER_GIVEN = "time_limit_waiver_given"
    HOLDING_TOO_LATE = "holding_response_too_late"
    HOLDING_TOO_EARLY = "holding_response_too_early"
    EVENT_DATE_NOT_STATED = "event_date_not_stated"
    FORWARD_DETAILS_REQUIRED = "forward_details_required"
    DISP_RESPONSE_OWED = "disp_response_owed"
    REASON_REQUIRED = "reason_required"
    OWNER_NOT_MEMBER = "owner_not_member"
    OTHER_FIRM = "other_firm"
    REDRESS_DECISION_REQUIRED = "redress_decision_required"
    GOODWILL_PAYMENT_REQUIRED = "goodwill_payment_required"
    ACCEPTED_REDRESS_UNPAID = "accepted_redress_unpaid"
    REDRESS_OFFER_OPEN = "redress_offer_open"
    PERMISSION_DENIED = "permission_denied"
    FIRM_NOT_FOUND = "firm_not_found"
