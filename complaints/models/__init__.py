"""The case: firms (legal entities), complainants, complaints and what was sent to them.

One module per sub-domain; every model is imported here so Django registers it and the rest of
the project keeps importing ``from complaints.models import Complaint``.
"""

from .communications import Communication, Note
from .complainants import VULNERABLE_Q, Complainant
from .complaints import Complaint, ComplaintQuerySet
from .firms import BankHoliday, Firm, FirmActivity, Membership, ReferenceCounter

__all__ = [
    "VULNERABLE_Q",
    "BankHoliday",
    "Communication",
    "Complainant",
    "Complaint",
    "ComplaintQuerySet",
    "Firm",
    "FirmActivity",
    "Membership",
    "Note",
    "ReferenceCounter",
]
