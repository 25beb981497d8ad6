"""PlainSelect writes the HTML Django's select templates write, without a template per option."""

import pytest
from django import forms

from common.widgets import PlainSelect

CHOICES = [
    ("", "Any <one>"),
    ("a&b", 'Say "x"'),
    ("Group", [(1, "One"), (2, "Two")]),
    (3, "Three"),
]
ATTRS = {"id": "id_f", "required": True, "disabled": False, "aria-describedby": "id_f_help"}


@pytest.mark.parametrize("value", ["", "a&b", 2, None, "not a choice"])
@pytest.mark.parametrize("attrs", [None, ATTRS])
def test_plain_select_renders_what_djangos_select_template_renders(value, attrs):
    # Given the same choices (an optgroup, characters to escape), value and attributes
    expected = forms.Select(choices=CHOICES).render("f<", value, attrs)
    # When PlainSelect renders them, then the HTML is Django's, byte for byte
    assert PlainSelect(choices=CHOICES).render("f<", value, attrs) == expected


def test_a_form_field_with_plain_select_renders_as_before():
    class Plain(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)

    class Templated(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False)

    plain, templated = Plain({"pick": "3"}), Templated({"pick": "3"})
    assert str(plain["pick"].as_field_group()) == str(templated["pick"].as_field_group())
