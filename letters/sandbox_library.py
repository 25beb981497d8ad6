"""The only tags and filters letter templates may use.

Administrators write templates in Django's template language, rendered against a context of
plain strings, dates and booleans. Tags that reach outside that context are left out: ``load``
(other libraries), ``include``/``extends`` (files), ``debug`` (dumps the context and modules),
``url`` and ``csrf_token``. Filters that only format values are kept.
"""

from django.template import Library, defaultfilters, defaulttags

register = Library()

ALLOWED_TAGS = (
    "autoescape",
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "now",
    "resetcycle",
    "spaceless",
    "templatetag",
    "verbatim",
    "with",
)
ALLOWED_FILTERS = (
    "add",
    "capfirst",
    "center",
    "cut",
    "date",
    "default",
    "default_if_none",
    "first",
    "floatformat",
    "join",
    "last",
    "length",
    "linebreaksbr",
    "ljust",
    "lower",
    "pluralize",
    "rjust",
    "slice",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordwrap",
    "yesno",
)

for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
