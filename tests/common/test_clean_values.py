"""``common.fields.clean_values`` checks the fields given as ``Model.clean_fields`` does, so
``complainant_build`` reports exactly what ``full_clean`` reported (issue 18: the register import
checks tens of thousands of complainants without building a model to full_clean each)."""

import dataclasses
import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from common.fields import _text_checks, clean_values
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


# The text fields the register import fills: each cleans a non-empty str by its length and its
# other validators (none, or the e-mail check), read once.
TEXT = [
    (Complainant, "name", 0),
    (Complainant, "client_reference", 0),
    (Complainant, "email", 1),
    (Complaint, "external_reference", 0),
    (Complaint, "forwarded_to_firm", 0),
]


def _outcome(clean, model, name, value):
    try:
        return clean(value)
    except ValidationError as exc:
        return exc.message_dict[name] if hasattr(exc, "error_dict") else exc.messages


@pytest.mark.parametrize(("model", "name", "others"), TEXT)
def test_text_checked_the_quick_way_cleans_as_the_field_does(model, name, others):
    """``_text_checks`` stands in for Django's ``Field.clean`` of a ``CharField`` (its
    ``to_python``, ``validate``, one ``MaxLengthValidator`` and the field's other validators):
    this fails if Django's steps change what they answer for text, or give the field another
    kind of check."""
    field = model._meta.get_field(name)
    limit, checks = _text_checks(field)  # the quick way is taken
    assert limit == field.max_length and len(checks) == others
    at = "@example.test"
    for value in [
        *ADDRESSES,
        "x" * (limit - len(at)) + at,
        "x" * (limit + 1 - len(at)) + at,
        "a",
        " ",
        "  x  ",
        "0",
        "\x00",
        "\u2028",
        "é" * limit,
        "x" * limit,
        "x" * (limit + 1),
        "é" * (limit + 5),
    ]:
        quick = _outcome(lambda v: clean_values(model, {name: v})[name], model, name, value)
        django = _outcome(lambda v: field.clean(v, None), model, name, value)
        assert quick == django


@pytest.mark.parametrize(
    ("model", "name"),
    [(Complainant, "complainant_type"), (Complainant, "is_retail"), (Complaint, "status")],
)
def test_fields_with_other_checks_keep_their_clean(model, name):
    assert _text_checks(model._meta.get_field(name)) is None


ADDRESSES = [
    "jo@example.test",
    "c1@example.test",
    "Jo.Bloggs+tag@mail.example.co.uk",
    '"quoted name"@example.test',
    "jo@localhost",
    "jo@[192.168.0.1]",
    "jo@[::1]",
    "jo@[999.1.1.1]",
    "jo@münchen.example",
    "jo@xn--mnchen-3ya.example",
    "not an address",
    "jo@",
    "@example.test",
    "jo@@example.test",
    "jo@-example.test",
    "jo@example",
    "j" * 300 + "@example.test",
    "jo@example.test\n",
    "",
]


def test_email_patterns_compiled_once_check_as_djangos_lazy_ones():
    """compiled_email_patterns (CommonConfig.ready) gives Django's EmailValidator its own
    patterns compiled: the validator reads them through ``self`` (so a class attribute takes
    effect), and every address gets the verdict Django's lazy patterns gave it."""
    from django.core.validators import EmailValidator, validate_email

    from common.fields import LAZY_EMAIL_PATTERNS

    assert set(LAZY_EMAIL_PATTERNS) == {"user_regex", "domain_regex", "literal_regex"}
    lazy = EmailValidator()
    for name, pattern in LAZY_EMAIL_PATTERNS.items():
        compiled = getattr(EmailValidator, name)
        assert type(compiled) is re.Pattern
        assert (compiled.pattern, compiled.flags) == (pattern.pattern, pattern.flags)
        setattr(lazy, name, pattern)  # this instance matches through Django's lazy objects

    def verdict(check, address):
        try:
            check(address)
        except ValidationError:
            return False
        return True

    verdicts = [verdict(validate_email, a) for a in ADDRESSES]
    assert verdicts == [verdict(lazy, a) for a in ADDRESSES]
    assert True in verdicts and False in verdicts
    blind = EmailValidator()
    blind.user_regex = re.compile(r"(?!)")  # matches nothing: read through self, it refuses all
    assert not verdict(blind, "jo@example.test")
