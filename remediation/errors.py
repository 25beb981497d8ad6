from enum import StrEnum


class RemediationError(StrEnum):
    """Machine-readable codes for refusals in the remediation app (API ``code``)."""

    VALIDATION = "validation_error"
    NOT_FOUND = "remediation_not_found"
    STALE = "stale_version"
    INVALID_STATE = "invalid_state"
    REDRESS_CLOSED_COMPLAINT = "redress_on_closed_complaint"
    OTHER_FIRM = "other_firm"
    ROOT_CAUSE_INACTIVE = "root_cause_inactive"
    ROOT_CAUSE_CYCLE = "root_cause_cycle"
    DUPLICATE = "duplicate"
    INCIDENT_IN_USE = "incident_in_use"
    OWNER_NOT_MEMBER = "owner_not_member"
