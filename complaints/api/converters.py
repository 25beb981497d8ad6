"""The ``anyid`` path converter every /api/ module uses for ids and other path values.

Any path segment matches, so a malformed id ("abc", "1.5", beyond bigint) reaches the view and
gets the API's JSON 404 (complaints.access cleans scoped ids; ``path_int`` the others), rather
than the URL resolver's HTML page. Importing this module registers the converter once.
"""

from django.http import Http404
from django.urls import register_converter

from complaints.access import MAX_ID


class AnyIdConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def path_int(value) -> int:
    """A positive integer path value, or 404 (never a 500 from the database)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise Http404
    return int(text)


def path_param(name: str, description: str):
    """The schema of an ``anyid`` path value that is an integer id (drf-spectacular cannot
    tell from the converter)."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


register_converter(AnyIdConverter, "anyid")
