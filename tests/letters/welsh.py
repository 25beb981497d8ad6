"""A complainant who asked for Welsh letters, in a firm that offers them."""

from __future__ import annotations

from complaints.choices import LetterLanguage
from complaints.services import Adjustments, complainant_set_adjustments, firm_set_offers_welsh
from tests.factories import MembershipFactory
from tests.letters.scenarios import SOON


def offer_welsh(firm, on: bool = True) -> None:
    admin = MembershipFactory(firm=firm, role="admin").user
    firm_set_offers_welsh(firm_id=firm.pk, actor=admin, now=SOON, offers_welsh=on)


def ask_for(complaint, actor, **adjustments) -> None:
    """Record the complainant's adjustments through the service the page and the API call."""
    complainant_set_adjustments(
        complaint_id=complaint.pk, actor=actor, now=SOON, adjustments=Adjustments(**adjustments)
    )


def ask_for_welsh(complaint, actor, **more) -> None:
    ask_for(complaint, actor, letter_language=LetterLanguage.WELSH, **more)
