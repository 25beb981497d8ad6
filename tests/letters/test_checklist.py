"""docs/letters.md's checklist is true of the letters the demo sends.

Each checklist section names, in an HTML comment under its title, the demo letters it describes
(`<!-- checklist: letter_type; variant -->`). For every such letter sent by the demo (loaded at the
demo clock's moment, a year into the regime), every quoted sentence in the section's "Sentence or
attachment" column must be in the letter as the complainant reads it. Quotes inside parentheses
describe other variants and are not read; "…" joins fragments, `{…}` is a merge value and
`[…]` an optional word or two. A row that names the leaflet needs the leaflet in the delivery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from demo.clock import REGIME_DEMO_MOMENT
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.models import Letter

# The marker makes pytest-django set up the test database the module fixture loads the demo into.
pytestmark = pytest.mark.django_db

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
            out.append(rf" ?(?:{re.escape(piece[1:-1])} )?")
            after_optional = True
            continue
        elif piece:
            out.append(re.escape(piece.lstrip() if after_optional else piece))
        after_optional = False
    return "".join(out)


def _outside_parentheses(cell: str) -> str:
    depth, kept = 0, []
    for ch in cell:
        if ch == "(" and not kept[-1:] == ['"']:
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0:
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
            rows.append(
                Row(section, letter_type, variant, requirement, tuple(map(_pattern, fragments)))
            )
    return rows


ROWS = checklist_rows(DOC.read_text())

# How a letter's variant is read off its record.
VARIANTS = {
    "fos": lambda letter: letter.fos_available and not letter.includes_waiver_consent,
    "whole": lambda letter: letter.fos_available and letter.forward_part == "whole",
    "part": lambda letter: letter.fos_available and letter.forward_part == "part",
    "any": lambda letter: True,
}


@pytest.fixture(scope="module")
def demo_letters(django_db_setup, django_db_blocker) -> dict[tuple[str, str], list[str]]:
    """The demo's sent letters as read text, by (type, variant); the demo is rolled back after."""
    found: dict[tuple[str, str], list[str]] = {}
    with django_db_blocker.unblock(), time_machine.travel(REGIME_DEMO_MOMENT, tick=False):
        with transaction.atomic():
            call_command("load_demo_data", verbosity=0)
            for letter in Letter.objects.filter(status=LetterStatus.SENT):
                for variant, matches in VARIANTS.items():
                    if matches(letter):
                        text = normalise(html_to_text(letter.html))
                        found.setdefault((letter.letter_type, variant), []).append(text)
            transaction.set_rollback(True)
    return found


def test_the_checklist_covers_every_letter_type_the_complainant_receives():
    covered = {row.letter_type for row in ROWS}
    assert covered >= set(LetterType.values) - {LetterType.FORWARDING_COVER}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.section}: {r.requirement}"[:90])
def test_every_demo_letter_has_the_sentence_the_checklist_names(row, demo_letters):
    letters = demo_letters.get((row.letter_type, row.variant), [])
    assert letters, f"the demo sends no {row.letter_type} letter of variant {row.variant}"
    for text in letters:
        for pattern in row.patterns:
            assert re.search(pattern, text), f"{row.requirement}: {pattern!r} not in:\n{text}"
