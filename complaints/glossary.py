"""The FCA Glossary test of a "complaint", in one place.

Limb (2) of the definition: an oral or written expression of dissatisfaction, whether justified
or not, which alleges that the complainant has suffered (or may suffer) financial loss, material
distress or material inconvenience. Anything else is feedback or a query: no DISP deadlines,
never counted in SUP 16.34 returns.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GlossaryVerdict:
    is_complaint: bool
    explanation: str


def glossary_test(
    *,
    dissatisfied: bool,
    financial_loss: bool,
    material_distress: bool,
    material_inconvenience: bool,
) -> GlossaryVerdict:
    """Whether the answers meet the Glossary definition of a complaint, explained in words."""
    alleged = [
        label
        for present, label in (
            (financial_loss, "financial loss"),
            (material_distress, "material distress"),
            (material_inconvenience, "material inconvenience"),
        )
        if present
    ]
    if dissatisfied and alleged:
        return GlossaryVerdict(
            True,
            "This is a complaint under the FCA Glossary: an expression of dissatisfaction "
            f"alleging {' and '.join(alleged)}. DISP time limits apply.",
        )
    if not dissatisfied:
        return GlossaryVerdict(
            False,
            "Not a complaint: there is no expression of dissatisfaction. It will be logged as "
            "feedback or a query, with no DISP deadlines, and never counted in returns.",
        )
    return GlossaryVerdict(
        False,
        "Not a complaint: dissatisfaction without an allegation of financial loss, material "
        "distress or material inconvenience. It will be logged as feedback or a query.",
    )
