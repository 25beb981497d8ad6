"""Use cases that write redress, root causes, incidents and remedial actions, one module per
sub-domain (``redress``, ``root_causes``, ``incidents``, ``actions``).

Keyword-only, typed, one transaction each, the acting user and ``now`` passed in. Rows that
change state are locked first (lock order: complaint, then what hangs off it) and saved with
``common.audit`` naming the use case and the actor.

Re-exported here: the names other apps, the demo data and the cross-app tests call as
``remediation.services.<name>``; code inside the app imports the sub-domain module.
"""

from .actions import action_create, action_set_status
from .incidents import (
    incident_bulk_acknowledge,
    incident_bulk_assign,
    incident_create,
    incident_link,
)
from .redress import (
    RedressData,
    redress_accept,
    redress_decline,
    redress_offer,
    redress_pay,
)
from .root_causes import complaint_root_cause_assign, root_cause_create

__all__ = [
    "RedressData",
    "action_create",
    "action_set_status",
    "complaint_root_cause_assign",
    "incident_bulk_acknowledge",
    "incident_bulk_assign",
    "incident_create",
    "incident_link",
    "redress_accept",
    "redress_decline",
    "redress_offer",
    "redress_pay",
    "root_cause_create",
]
