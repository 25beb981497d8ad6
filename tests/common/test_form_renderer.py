"""The form renderer writes some of Django's form templates in Python (issue 18: the complaint
page's forms were a quarter of its time); every form must render exactly as Django's templates
render it."""

from __future__ import annotations

from pathlib import Path

import django.forms
import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from common.form_renderer import INPUT_TEMPLATES, FormRenderer

DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class EveryKind(forms.Form):
    name = forms.CharField(label="Name", max_length=20, help_text="As on the <b>account</b>.")
    quiet = forms.CharField(label="Quiet", required=False, label_suffix="")
    asked = forms.CharField(label="Asked?", required=False, widget=forms.TextInput({"x": True}))
    off = forms.CharField(required=False, widget=forms.TextInput({"hidden": False, "v": 0}))
    amount = forms.DecimalField(label="Amount (£)", required=False, min_value=0)
    count = forms.IntegerField(required=False)
    email = forms.EmailField(required=False, initial="a&b@example.com")
    url = forms.URLField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    on = forms.DateField(required=False, widget=forms.DateInput({"type": "date"}, "%Y-%m-%d"))
    at = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False, widget=forms.TimeInput({"type": "time"}))
    upload = forms.FileField(required=False)
    agree = forms.BooleanField(required=False, label="I agree")
    kind = forms.ChoiceField(choices=[("", "Choose"), ("a", "A & B"), (1, mark_safe("<i>1</i>"))])
    grouped = forms.ChoiceField(
        required=False, choices=[("", "None"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]
    )
    several = forms.MultipleChoiceField(required=False, choices=[("p", "P"), ("q", "Q")])
    yes_no = forms.NullBooleanField(required=False)
    way = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[("e", "E")])
    ticks = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=[("s", "S"), ("t", "T")]
    )
    grouped_way = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect({"class": "row & more"}),
        choices=[("Group <2>", [("g", "G & H"), ("h", mark_safe("<i>H</i>"))]), ("i", "I")],
    )
    note = forms.CharField(required=False, widget=forms.Textarea({"rows": 2}), initial="<x>\n")
    empty_note = forms.CharField(required=False, widget=forms.Textarea)
    colour = forms.CharField(required=False, widget=forms.TextInput({"type": "color"}))
    described = forms.CharField(
        required=False, help_text="Help", widget=forms.TextInput({"aria-describedby": "mine"})
    )


def _forms(renderer) -> list[forms.Form]:
    bound = {
        "name": 'A "quoted" <name> that is far too long',
        "amount": "-1",
        "count": "x",
        "kind": "a",
        "grouped": "y",
        "several": ["p", "q"],
        "yes_no": "true",
        "ticks": ["t"],
        "grouped_way": "h",
        "note": "Line <1>\nLine 2",
        "agree": "on",
        "email": "not an e-mail",
        "on": "2026-02-30",
    }
    unbound = EveryKind(auto_id="id_every_%s", renderer=renderer)
    invalid = EveryKind(bound, auto_id="id_every_%s", renderer=renderer)
    invalid.is_valid()
    without_ids = EveryKind(bound, auto_id=False, renderer=renderer)
    without_ids.is_valid()
    required_css = EveryKind(bound, prefix="p", renderer=renderer)
    required_css.required_css_class = "required"
    required_css.is_valid()
    return [unbound, invalid, without_ids, required_css]


def _rendered(form: forms.Form) -> list[str]:
    html = [str(form), str(form.non_field_errors())]
    for bound in form:
        html += [
            bound.as_field_group(),
            str(bound),
            str(bound.errors),
            bound.label_tag(),
            bound.legend_tag(),
            bound.as_hidden(),
            bound.label_tag(mark_safe("<b>Other</b>"), attrs={"class": "c"}),
        ]
    return html


@pytest.mark.parametrize("case", range(4))
def test_every_field_renders_as_djangos_templates_render_it(case):
    templates = _rendered(_forms(DjangoTemplates())[case])
    python = _rendered(_forms(FormRenderer())[case])
    assert python == templates


def test_the_site_renders_forms_with_it():
    assert settings.FORM_RENDERER == "common.form_renderer.FormRenderer"


def test_the_templates_written_in_python_are_still_djangos():
    """A Django upgrade that changes these templates must change the renderer too."""
    widgets = DJANGO_TEMPLATES / "django" / "forms" / "widgets"
    include = '{% include "django/forms/widgets/input.html" %}\n'
    for name in INPUT_TEMPLATES[1:]:
        assert (DJANGO_TEMPLATES / name).read_text() == include, name
    assert (widgets / "input.html").read_text() == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    )
    assert (widgets / "select_option.html").read_text() == (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    )
    multiple = '{% include "django/forms/widgets/multiple_input.html" %}\n'
    option = '{% include "django/forms/widgets/input_option.html" %}\n'
    assert (widgets / "radio.html").read_text() == multiple
    assert (widgets / "checkbox_select.html").read_text() == multiple
    assert (widgets / "radio_option.html").read_text() == option
    assert (widgets / "checkbox_option.html").read_text() == option
    assert (widgets / "input_option.html").read_text() == (
        '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
        '{% endif %}>{% endif %}{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    )
    assert (widgets / "multiple_input.html").read_text() == (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n"
    )
