"""``common.fields.clean_values`` checks the fields given as ``Model.clean_fields`` does, so
``complainant_build`` reports exactly what ``full_clean`` reported (issue 18: the register import
checks tens of thousands of complainants without building a model to full_clean each)."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from common.fields import clean_values
from complaints.models import Complainant, Complaint
from complaints.services import ComplainantData
from complaints.services.intake import complainant_build
from complaints.services.vulnerability import vulnerability_values
from tests.factories import london

pytestmark = pytest.mark.django_db
NOW = london(2026, 6, 1, 9)
BAD = [
    {"name": "N" * 201},
    {"email": "not an address"},
    {"complainant_type": "robot"},
    {"client_reference": "C" * 65, "email": "also@not@valid"},
    {"phone": "0" * 41, "name": "N" * 300, "complainant_type": ""},
]


def full_clean_errors(firm, data: ComplainantData) -> dict[str, list[str]]:
    """What complainant_build said before: a model built and full_clean-ed."""
    fields = dict(data.__dict__)
    fields.update(vulnerability_values(fields, now=NOW))
    with pytest.raises(ValidationError) as caught:
        Complainant(firm=firm, **fields).full_clean(exclude=["firm"])
    return caught.value.message_dict


@pytest.mark.parametrize("bad", BAD)
def test_complainant_build_reports_what_full_clean_reported(firm, bad):
    data = dataclasses.replace(ComplainantData(name="Jo Bloggs", email="jo@example.test"), **bad)
    with pytest.raises(ValidationError) as caught:
        complainant_build(firm=firm, data=data, now=NOW)
    assert caught.value.message_dict == full_clean_errors(firm, data)
    assert list(caught.value.message_dict) == list(full_clean_errors(firm, data))


def test_a_good_complainant_is_built_as_before(firm):
    data = ComplainantData(name=" Jo ", email="jo@example.test", vulnerable_health=True)
    data = dataclasses.replace(data, vulnerability_consent=True)
    person = complainant_build(firm=firm, data=data, now=NOW)
    person.full_clean(exclude=["firm"])  # what the old build ran: nothing to report
    assert (person.name, person.firm_id, person.vulnerability_consent_at) == (" Jo ", firm.pk, NOW)
    assert person.vulnerability_support_needs and person.is_vulnerable


@pytest.mark.parametrize("model", [Complainant])
def test_clean_values_is_full_clean_only_while_the_model_has_no_other_checks(model):
    """clean_values leaves out Model.clean, unique and constraint checks: the models it stands
    in for must have none (a new one would make complainant_build miss it)."""
    assert model.clean is Model.clean
    assert not model._meta.constraints and not model._meta.unique_together
    assert [f.name for f in model._meta.fields if f.unique] == ["id"]


def test_clean_values_checks_only_the_fields_given_in_model_order():
    with pytest.raises(ValidationError) as caught:
        clean_values(Complaint, {"forwarded_to_firm": "F" * 201, "external_reference": "E" * 65})
    # Given forwarded_to_firm first; reported in the model's order, as clean_fields reports.
    assert list(caught.value.message_dict) == ["external_reference", "forwarded_to_firm"]
    assert clean_values(Complaint, {"external_reference": ""}) == {"external_reference": ""}


def test_remembered_flags_and_choices_clean_as_the_field_does():
    """Flags and choices are remembered once cleaned; what the field refuses never is."""
    good = {"complainant_type": "consumer", "is_retail": True, "vulnerable_health": False}
    for _ in range(2):
        assert clean_values(Complainant, good) == good
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            clean_values(Complainant, {**good, "complainant_type": "robot"})
        assert list(caught.value.message_dict) == ["complainant_type"]
