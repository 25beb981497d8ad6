"""The case: firms (legal entities), complainants, complaints and what was sent to them.

One module per sub-domain; every model is imported here so Django registers it and the rest of
the project keeps importing ``from complaints.models import Complaint``.
"""

from .communications import Communication, Note
from .complainants import VULNERABLE_Q, Complainant
from .complaints import Complaint, ComplaintQuerySet
from .dataprotection import DataProtectionComplaint, SarPause, SubjectAccessRequest
from .firms import BankHoliday, Firm, FirmActivity, Membership, ReferenceCounter
from .forwards import ForwardedPart
from .queue import SavedFilter
from .representatives import Representative, RepresentativeQuerySet
from .tasks import Task, TaskQuerySet

# django-simple-history gives a historical model the app's name ("complaints") as its module when
# the tracked model is not in <app>/models.py (django-simple-history issues #343 and #1479), so
# `manage.py shell` cannot auto-import it. Point it at the module that actually holds it.
for _tracked in (
    Firm,
    FirmActivity,
    Membership,
    BankHoliday,
    Complainant,
    Complaint,
    Communication,
    Note,
    ForwardedPart,
    DataProtectionComplaint,
    SubjectAccessRequest,
    SarPause,
    Representative,
    SavedFilter,
    Task,
):
    _tracked.history.model.__module__ = _tracked.__module__

__all__ = [
    "VULNERABLE_Q",
    "BankHoliday",
    "Communication",
    "Complainant",
    "Complaint",
    "ComplaintQuerySet",
    "DataProtectionComplaint",
    "Firm",
    "FirmActivity",
    "ForwardedPart",
    "Membership",
    "Note",
    "ReferenceCounter",
    "SarPause",
    "SavedFilter",
    "SubjectAccessRequest",
    "Representative",
    "RepresentativeQuerySet",
    "Task",
    "TaskQuerySet",
]
