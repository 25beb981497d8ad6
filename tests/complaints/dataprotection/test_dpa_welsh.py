"""The data-protection letters in Welsh (DPA 2018 s.164A): sent from the data-protection panel,
in Welsh when the complainant asked for Welsh and the firm offers it, read by the same content
checks through the Welsh forms of their phrases, and rendered to a real Welsh PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from common.errors import TransitionRefused
from complaints.services.dataprotection import (
    dpa_complaint_acknowledge,
    dpa_complaint_outcome,
    dpa_complaint_record,
)
from letters import dpa_wording_cy
from letters.checks.dpa import DPA_CHECKS
from letters.checks.runner import run_checks
from letters.checks.spec import Facts
from letters.choices import LetterType
from letters.dpa_wording import ICO_CONTACT_DEFAULTS
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_template_save
from tests.factories import MembershipFactory, london, make_complaint
from tests.letters.pdf import pdf_text, pdfinfo
from tests.letters.welsh import ask_for_welsh, offer_welsh

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 7, 3, 10)
OUTCOME = "Gwelsom fod cyfeiriad eich waled wedi'i rannu mewn camgymeriad."


@pytest.fixture
def dpa(firm, handler):
    offer_welsh(firm)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    ask_for_welsh(complaint, handler)
    return dpa_complaint_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 3, 12),
        summary="Rhannwyd cyfeiriad fy waled heb fy nghaniatâd.",
    )


def test_dpa_s164a_3_welsh_acknowledgement_is_checked_and_sent(dpa, handler):
    """s.164A(3): the Welsh acknowledgement says the complaint about personal data was received
    and is being looked into, and that its progress and outcome will follow; both checks pass
    on the Welsh wording."""
    done = dpa_complaint_acknowledge(dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 6, 9))
    letter = Letter.objects.get(communication=done.acknowledgement)
    assert (letter.language, letter.template_version.template.language) == ("cy", "cy")
    assert {c["key"] for c in letter.check_results} >= {"dpa_receipt", "dpa_looking_into"}
    assert all(c["passed"] for c in letter.check_results)
    text = pdf_text(bytes(letter.pdf))
    assert "Annwyl Jo Bloggs" in text
    assert "wedi cael eich cwyn am y ffordd rydym yn defnyddio eich data personol" in text
    assert "hynt ein hymholiadau" in text and "Nid yw hyn yn aros" in text


def test_dpa_s164a_4b_welsh_outcome_pdf_passes_its_content_checks(dpa, handler):
    """s.164A(4)(b) and the ICO's guidance: the Welsh outcome PDF states the outcome and the
    right to complain to the Information Commissioner (Swyddfa'r Comisiynydd Gwybodaeth) with
    its contact details and the three months; the checks pass on the PDF's own text."""
    done = dpa_complaint_outcome(
        dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 10, 9), outcome=OUTCOME
    )
    letter = Letter.objects.get(communication=done.outcome)
    assert letter.language == "cy"
    assert {c["key"] for c in letter.check_results} >= {"dpa_outcome", "dpa_ico_right"}
    assert all(c["passed"] for c in letter.check_results)
    data = bytes(letter.pdf)
    text = pdf_text(data)
    assert "hawl i gwyno wrth y Comisiynydd Gwybodaeth" in text
    assert "Swyddfa'r Comisiynydd Gwybodaeth" in text and "cyn pen tri mis" in text
    assert OUTCOME in text
    values = {**ICO_CONTACT_DEFAULTS, "reasons": OUTCOME, "reference": letter.complaint.reference}
    facts = Facts(letter_type=LetterType.DPA_OUTCOME, language="cy")
    results = run_checks(facts, text, values, DPA_CHECKS[LetterType.DPA_OUTCOME])
    assert [r.key for r in results if not r.passed] == []
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "cy"
    assert pdfinfo(data)["Tagged"] == "yes"


def test_dpa_s164a_welsh_outcome_without_the_ico_right_is_refused(dpa, firm, handler):
    """The checks read the Welsh: a Welsh outcome template without the Information
    Commissioner sentence fails dpa_ico_right, as the English does."""
    body = dpa_wording_cy.DPA_OUTCOME_CY.replace(
        "Mae gennych hawl i gwyno wrth y Comisiynydd Gwybodaeth,", "Mae'r Comisiynydd yn"
    )
    letter_template_save(
        firm_id=firm.pk,
        letter_type=LetterType.DPA_OUTCOME,
        language="cy",
        subject=dpa_wording_cy.DPA_SUBJECTS_CY[LetterType.DPA_OUTCOME],
        body=body,
        actor=MembershipFactory(firm=firm, role="admin").user,
        now=london(2026, 7, 9, 9),
    )
    with pytest.raises(TransitionRefused) as err:
        dpa_complaint_outcome(
            dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 10, 9), outcome=OUTCOME
        )
    assert err.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    assert "dpa_ico_right" in str(err.value.fields["letter"])
    assert "dpa_outcome" not in str(err.value.fields["letter"])
