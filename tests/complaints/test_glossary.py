"""FCA Glossary "complaint", limb (2): an expression of dissatisfaction alleging financial loss,
material distress or material inconvenience. One function decides it for the log form, the API
and the register import (complaints.glossary)."""

from itertools import product

import pytest

from complaints.glossary import glossary_test


@pytest.mark.parametrize(
    ("dissatisfied", "loss", "distress", "inconvenience"),
    list(product([True, False], repeat=4)),
)
def test_glossary_complaint_needs_dissatisfaction_and_an_alleged_detriment(
    dissatisfied, loss, distress, inconvenience
):
    verdict = glossary_test(
        dissatisfied=dissatisfied,
        financial_loss=loss,
        material_distress=distress,
        material_inconvenience=inconvenience,
    )
    assert verdict.is_complaint == (dissatisfied and (loss or distress or inconvenience))


def test_glossary_complaint_explains_what_was_alleged():
    verdict = glossary_test(
        dissatisfied=True, financial_loss=True, material_distress=False, material_inconvenience=True
    )
    assert verdict.explanation == (
        "This is a complaint under the FCA Glossary: an expression of dissatisfaction alleging "
        "financial loss and material inconvenience. DISP time limits apply."
    )


def test_glossary_complaint_without_dissatisfaction_is_feedback():
    verdict = glossary_test(
        dissatisfied=False, financial_loss=True, material_distress=True, material_inconvenience=True
    )
    assert not verdict.is_complaint
    assert "no expression of dissatisfaction" in verdict.explanation


def test_glossary_complaint_dissatisfaction_without_detriment_is_a_query():
    verdict = glossary_test(
        dissatisfied=True,
        financial_loss=False,
        material_distress=False,
        material_inconvenience=False,
    )
    assert not verdict.is_complaint
    assert "without an allegation of financial loss" in verdict.explanation
