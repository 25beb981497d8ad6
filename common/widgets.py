"""Form widgets that render their HTML in Python where Django's templates cost too much.

Django renders a ``<select>`` through one template include per option (and another for each
option's attributes): a page with a few filter menus of a dozen options each spends a fifth of
its time there. ``PlainSelect`` writes the very HTML those templates write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def html_attrs(attrs: Mapping[str, Any]) -> SafeString:
    """``django/forms/widgets/attrs.html``: ` name="value"` each, a bare ` name` for True, nothing
    for False."""
    return mark_safe(
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


class PlainSelect(forms.Select):
    """A ``forms.Select`` whose HTML is Django's own template's (``select.html`` and
    ``select_option.html``), written without a template include per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], html_attrs(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    html_attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
