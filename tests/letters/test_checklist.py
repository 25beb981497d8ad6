"""docs/letters.md's checklist is true of the letters the demo sends.

Each checklist section names, in an HTML comment under its title, the demo letters it describes
(`<!-- checklist: letter_type; variant -->`). For every such letter sent by the demo (loaded at the
demo clock's moment, a year into the regime), every quoted sentence in the section's "Sentence or
attachment" column must be in the letter as the complainant reads it. Quotes inside parentheses
describe other variants and are not read; "…" joins fragments, `{…}` is a merge value and
`[…]` an optional word or two. A row that names the leaflet needs the leaflet in the delivery.

The demo's letters are read against these rows in tests/demo/test_demo_data.py, which loads the
demo once for every check made over it (``demo_letters`` below reads them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from complaints.choices import Regime
from complaints.models import Complaint
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.models import Letter

COMMENCEMENT = settings.CRYPTO_COMMENCEMENT_DATE
DOC = Path(__file__).resolve().parents[2] / "docs" / "letters.md"


@dataclass(frozen=True)
class Row:
    section: str
    letter_type: str
    variant: str
    requirement: str
    patterns: tuple[str, ...]


def _pattern(quote: str) -> str:
    """A quoted checklist sentence as a regex over normalised letter text."""
    out, after_optional = [], False
    for piece in re.split(r"\s*(\{[^}]*\}|\[[^\]]*\])\s*", normalise(quote)):
        if piece.startswith("{"):
            out.append(r" ?.+? ?")
        elif piece.startswith("["):
            options = "|".join(re.escape(o.strip()) + " " for o in piece[1:-1].split("/"))
            out.append(rf" ?(?:{options})?")
            after_optional = True
            continue
        elif piece:
            out.append(re.escape(piece.lstrip() if after_optional else piece))
        after_optional = False
    return "".join(out)


def _outside_parentheses(cell: str) -> str:
    """The cell without its parenthetical remarks (parentheses inside quotes are text)."""
    depth, quoted, kept = 0, False, []
    for ch in cell:
        if ch == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            continue
        elif not quoted and ch == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            kept.append(ch)
    return "".join(kept)


def checklist_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    section = letter_type = variant = ""
    for line in text.split("## Checklist", 1)[1].split("\n## ", 1)[0].splitlines():
        if m := re.match(r"\*\*(.+)\*\*\s*$", line):
            section, letter_type, variant = m.group(1), "", ""
        elif m := re.match(r"<!-- checklist: (\w+); ([\w-]+) -->", line):
            letter_type, variant = m.groups()
        elif line.startswith("| ") and not line.startswith(("| Requirement", "|---")):
            requirement, cell = (c.strip() for c in line.strip().strip("|").split(" | ", 1))
            quotes = re.findall(r"\"([^\"]+)\"", _outside_parentheses(cell))
            fragments = [f.strip() for q in quotes for f in q.split("…") if f.strip()]
            assert letter_type, f"checklist section {section!r} names no demo letters"
            assert fragments, f"{section}: {requirement!r} quotes nothing a test can read"
            rows.append(
                Row(section, letter_type, variant, requirement, tuple(map(_pattern, fragments)))
            )
    return rows


ROWS = checklist_rows(DOC.read_text())


# How a letter's variant is read off its record and its complaint.
def _variant(letter: Letter) -> set[str]:
    if letter.language == "cy":
        return {"cy"}  # the Welsh sections describe the Welsh letters, and only they do
    complaint = letter.complaint
    basis = complaint.fos_access().basis
    found = {"any", basis.value}
    if letter.fos_available and not letter.includes_waiver_consent:
        found.add("psd" if complaint.regime == Regime.PSD_EMD else "fos")
    if letter.includes_waiver_consent:
        found.add("consent")
    if letter.letter_type == LetterType.FORWARDING_NOTICE and letter.fos_available:
        found.add(letter.forward_part)
    return found


def demo_letters() -> dict[tuple[str, str], list[str]]:
    """The loaded demo's sent letters as read text, by (type, variant), and each complaint's
    status and arrival after commencement, by its FOS access (read at the demo's moment)."""
    found: dict[tuple[str, str], list[str]] = {}
    sent = Letter.objects.filter(status=LetterStatus.SENT).select_related("complaint__firm")
    for letter in sent:
        text = normalise(html_to_text(letter.html))
        for variant in _variant(letter):
            found.setdefault((letter.letter_type, variant), []).append(text)
    # The demo under the regime: what each complaint's FOS access is, by state.
    for complaint in Complaint.objects.select_related("firm"):
        found.setdefault(("complaint", complaint.fos_access().basis.value), []).append(
            f"{complaint.status} {complaint.received_at.date() >= COMMENCEMENT}"
        )
    return found


def test_the_checklist_covers_every_letter_type():
    assert {row.letter_type for row in ROWS} == set(LetterType.values)
