"""Money for templates: ``{{ amount|gbp }}`` → "£1,510.05" (``common.display.gbp``)."""

from django import template

from common import display

register = template.Library()


@register.filter
def gbp(value) -> str:
    return display.gbp(value)
