"""The form renderer: Django's templates, with the commonest widget and field templates written
in Python.

Django renders every widget, label, error list and field group through a template, and every
attribute, ``<option>`` and radio button or checkbox of a list through an include: on the
complaint page, with its action, task, redress and evidence forms, that was about a quarter of
the page's time (issue 18). The
templates named in ``_IN_PYTHON`` produce the very same HTML here, escaped by the same rules
(``render_value_in_context``, the ``stringformat`` filter's safety); any other template, or a
widget whose options use another template, goes through Django's as before.
tests/common/test_form_renderer.py renders a form of every kind of field with both renderers
and requires the same HTML, and checks the templates written here are still Django's.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from operator import ne
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# What the forms engine renders with: autoescape on, no localisation or time zone override.
_CONTEXT = Context()
_INPUT = "django/forms/widgets/input.html"
_OPTION = "django/forms/widgets/select_option.html"
# Django's input widgets whose template is only ``{% include "…/input.html" %}``.
INPUT_TEMPLATES = tuple(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "file",
        "checkbox",
    )
)


def _text(value: Any) -> str:
    """``{{ value }}``: a plain ``str`` (most values) is only escaped, as the template language
    escapes it (no time zone, localisation or ``__html__`` applies to one)."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _string(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe string safe)."""
    if type(value) is str:
        return html.escape(value)
    formatted = stringformat(value, "s")
    return _text(mark_safe(formatted) if isinstance(value, SafeData) else formatted)


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/attrs.html`` and ``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + _text(name))
            if value is not True:
                parts.append('="' + _string(value) + '"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = f' value="{_string(widget["value"])}"' if ne(widget["value"], None) else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # options of another template: Django renders the widget
            parts.append(f"\n  {_option(option)}\n")  # the include keeps the file's newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# The options of radios and checkboxes (``radio_option.html``, ``checkbox_option.html``: each
# only ``{% include "…/input_option.html" %}``).
_INPUT_OPTIONS = (
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
)


def _input_option(option: dict[str, Any]) -> str:
    """``input_option.html`` included by the option's template: each file's newline kept."""
    tag = f"{_input(option)}\n"
    if not option["wrap_label"]:
        return f"{tag}\n\n"
    id_ = option["attrs"].get("id")
    label_for = f' for="{_text(id_)}"' if id_ else ""
    return f"<label{label_for}>{tag} {_text(option['label'])}</label>\n\n"


def _multiple(widget: dict[str, Any]) -> str | None:
    """``multiple_input.html`` (radios and checkboxes)."""
    id_, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(id_)}"' if id_ else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option["template_name"] not in _INPUT_OPTIONS:
                return None  # options of another template: Django renders the widget
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context: dict[str, Any]) -> str:
    if not context["use_tag"]:
        return _text(context["label"]).strip()
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_text(context['label'])}</{tag}>"


def _errors(context: dict[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = f' id="{_text(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{field_id}>{items}</ul>'


def _field(context: dict[str, Any]) -> str:
    field = context["field"]
    if field.use_fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{_text(described)}"' if described else ""
        head = f"\n  <fieldset{aria}>\n  {_text(field.legend_tag()) if field.label else ''}\n"
    else:
        head = f"\n  {_text(field.label_tag()) if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        helptext_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        shown = _text(mark_safe(str(field.help_text)))  # ``|safe``
        help_text = f'<div class="helptext"{helptext_id}>{shown}</div>'
    tail = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{_text(field.errors)}\n{_text(field)}{tail}\n".strip()


def _widget(render: Callable[[dict[str, Any]], str | None]) -> Callable[[dict], str | None]:
    return lambda context: render(context["widget"])


_IN_PYTHON: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _widget(_input)),
    "django/forms/widgets/select.html": _widget(_select),
    "django/forms/widgets/radio.html": _widget(_multiple),
    "django/forms/widgets/checkbox_select.html": _widget(_multiple),
    "django/forms/widgets/textarea.html": _widget(_textarea),
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
}


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: Django's template renderer, the templates above in Python."""

    def render(self, template_name, context, request=None):
        python = _IN_PYTHON.get(template_name)
        if python is not None and request is None:
            html = python(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)
