"""Reading a rendered letter as the complainant would: its HTML as plain normalised text (quotes,
dashes, case and line breaks do not matter), and the phrases the checks look for in it."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# --- normalisation ------------------------------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text).translate(_TRANSLATE)).strip().lower()


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "tr", "section", "header", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    return "".join(parser.parts)


# --- phrases -------------------------------------------------------------------------------

FOS_REFERRAL = (
    r"refer (?:your|the|this) complaint to the financial ombudsman service"
    r"|refer (?:it|the matter) to the financial ombudsman service"
)
# What makes a referral wait for the firm's time to run out: "If we have not sent our final
# response by then, you may refer ...", "If you have not received it ...", "once eight weeks ...".
_NOT_YET = (
    r"\bif (?:we|you) (?:have|has|had|do|does|did|still have)(?: not|n't)"
    r"|\bonce\b|\bby then\b|\bafter (?:eight|8) weeks"
)
# "You may now refer ..." in any words: a referral right stated as available today. "You may
# refer your complaint" counts too, unless its sentence makes it wait (``_NOT_YET``, before or
# after it): that sentence states a right to come, true before the Ombudsman may consider the
# complaint (the PSD/EMD holding response's "If you have not received our final response by
# then, you may refer ..."). Sentences end at ".", "!" or "?" followed by a space.
MAY_NOW_REFER = (
    r"(?:may|can) now (?:refer|take|bring|complain)"
    r"|(?:^|[.!?:]\s)(?:(?!" + _NOT_YET + r")[^.!?])*?(?:may|can) refer (?:it|your|the)\b"
    r"(?![^.!?]*(?:" + _NOT_YET + r"))"
)
SIX_MONTH = (
    r"within (?:six|6) months of the date of (?:this|our) (?:letter|final response|response)"
)
# Any statement of the six-month limit for referring to the Ombudsman (DISP 2.8.2R(1)), the
# Annex 3R consent variant's "more than six months after the date of this letter" included.
SIX_MONTH_LIMIT = (
    r"(?:six|6) months (?:of|after) the date of (?:this|our) (?:letter|final response|response)"
)
NO_CONSENT = r"will not have our permission to consider your complaint"
CONSENT = (
    r"we (?:consent|agree) to the (?:financial )?ombudsman(?: service)? considering your complaint"
)
# DISP 1 Annex 3R variant (1)'s opening, which variant (2) does not share.
ANNEX_3R_1_OPENING = r"free of charge\s*-\s*but you must do so within (?:six|6) months"
FINAL_RESPONSE = r"(?:this|that) (?:letter|notice) is our final response|this is our final response"
FOS_WEBSITE = r"(?:www\.|https?://)financial-ombudsman\.org\.uk"
LEAFLET = r"enclos\w*[^.]{0,120}leaflet|leaflet[^.]{0,120}enclos"
FURTHER_INFO = r"(?:further|more) information (?:about|on) the financial ombudsman service"
# CP26/4 para 3.24: an act or omission before the regime began, and the firm's own complaints
# procedure, which still applies (the statement a pre-commencement complaint's letters make).
BEFORE_REGIME = (
    r"before [^.]{0,120}(?:began|begun|commenced|came into force|started|went live|took effect)"
)
OWN_PROCEDURE = r"(?:our|the firm's) (?:own )?complaints (?:handling )?procedure still appl"
MAY_NOT_CONSIDER = r"financial ombudsman service may not be able to consider"
NOT_AVAILABLE = (
    r"financial ombudsman service is not (?:able to consider|available)"
    r"|financial ombudsman service cannot consider"
)


def as_read(template_text: str) -> str:
    """Literal template text (no tags) as the checks read the rendered letter: its ``- `` list
    markers dropped, then normalised."""
    return normalise(re.sub(r"^- ", "", template_text, flags=re.MULTILINE))


def has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def has_six_month_wording(text: str) -> bool:
    """DISP 2.8.3G: does the (normalised) letter tell the complainant about the six-month limit?"""
    return has(SIX_MONTH, text)
