"""What the data-protection complaint letters must say (DPA 2018 s.164A; docs/data-protection.md).

The Act prescribes no wording. These are the elements the Act and the ICO's guidance for
organisations name: the acknowledgement confirms receipt and that the complaint is being looked
into (s.164A(3)); the outcome states the outcome (s.164A(4)(b)) and, as the ICO's guidance asks,
the right to complain to the Information Commissioner with its contact details.
"""

from __future__ import annotations

from ..choices import LetterType
from .spec import Check

# The phrases, named so their Welsh forms (``checks.welsh``) are keyed by the same patterns.
RECEIVED = r"received your (?:data protection )?complaint"
PERSONAL_DATA = r"personal (?:data|information)"
LOOKING_INTO = (
    r"looking into (?:it|your complaint)|investigating (?:it|your complaint)"
    r"|dealing with (?:it|your complaint)"
)
PROGRESS = r"progress"
OUTCOME = r"outcome"
ICO_RIGHT = r"right to complain to the information commissioner"

DPA_CHECKS: dict[str, list[Check]] = {
    LetterType.DPA_ACKNOWLEDGEMENT: [
        Check(
            "dpa_receipt",
            "That the complaint about the use of personal data was received",
            "DPA 2018 s.164A(3)",
            phrases=(RECEIVED, PERSONAL_DATA),
            values=("reference",),
        ),
        Check(
            "dpa_looking_into",
            "That the firm is looking into it and will keep the complainant informed",
            "DPA 2018 s.164A(4)(a), (5)",
            phrases=(LOOKING_INTO, PROGRESS),
        ),
    ],
    LetterType.DPA_OUTCOME: [
        Check(
            "dpa_outcome",
            "The outcome of the complaint about the use of personal data",
            "DPA 2018 s.164A(4)(b)",
            phrases=(OUTCOME, PERSONAL_DATA),
            values=("reasons",),
        ),
        Check(
            "dpa_ico_right",
            "The right to complain to the Information Commissioner, with its contact details",
            "DPA 2018 s.164A; ICO guidance on data protection complaints",
            phrases=(ICO_RIGHT,),
            values=("ico_website", "ico_phone", "ico_address"),
        ),
    ],
}
