"""What the data-protection complaint letters must say (DPA 2018 s.164A; docs/data-protection.md).

The Act prescribes no wording. These are the elements the Act and the ICO's guidance for
organisations name: the acknowledgement confirms receipt and that the complaint is being looked
into (s.164A(3)); the outcome states the outcome (s.164A(4)(b)) and, as the ICO's guidance asks,
the right to complain to the Information Commissioner with its contact details.
"""

from __future__ import annotations

from ..choices import LetterType
from .spec import Check

_RECEIVED = r"received your (?:data protection )?complaint"
_PERSONAL_DATA = r"personal (?:data|information)"

DPA_CHECKS: dict[str, list[Check]] = {
    LetterType.DPA_ACKNOWLEDGEMENT: [
        Check(
            "dpa_receipt",
            "That the complaint about the use of personal data was received",
            "DPA 2018 s.164A(3)",
            phrases=(_RECEIVED, _PERSONAL_DATA),
            values=("reference",),
        ),
        Check(
            "dpa_looking_into",
            "That the firm is looking into it and will keep the complainant informed",
            "DPA 2018 s.164A(4)(a), (5)",
            phrases=(
                r"looking into (?:it|your complaint)|investigating (?:it|your complaint)"
                r"|dealing with (?:it|your complaint)",
                r"progress",
            ),
        ),
    ],
    LetterType.DPA_OUTCOME: [
        Check(
            "dpa_outcome",
            "The outcome of the complaint about the use of personal data",
            "DPA 2018 s.164A(4)(b)",
            phrases=(r"outcome", _PERSONAL_DATA),
            values=("reasons",),
        ),
        Check(
            "dpa_ico_right",
            "The right to complain to the Information Commissioner, with its contact details",
            "DPA 2018 s.164A; ICO guidance on data protection complaints",
            phrases=(r"right to complain to the information commissioner",),
            values=("ico_website", "ico_phone", "ico_address"),
        ),
    ],
}
