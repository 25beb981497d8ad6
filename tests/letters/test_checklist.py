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
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from complaints.choices import Regime, Status
from complaints.models import Complaint
from demo.clock import REGIME_DEMO_MOMENT
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.models import Letter

# The marker makes pytest-django set up the test database the module fixture loads the demo into.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-checklist")]

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


@pytest.fixture(scope="module")
def demo_letters(django_db_setup, django_db_blocker) -> dict[tuple[str, str], list[str]]:
    """The demo's sent letters as read text, by (type, variant); the demo is rolled back after."""
    found: dict[tuple[str, str], list[str]] = {}
    with (
        django_db_blocker.unblock(),
        time_machine.travel(REGIME_DEMO_MOMENT, tick=False),
        transaction.atomic(),
    ):
        call_command("load_demo_data", verbosity=0)
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
        transaction.set_rollback(True)
    return found


def test_the_demo_runs_under_the_regime_with_acts_before_it_handled_as_such(demo_letters):
    """Issue #14: at the demo clock every complaint arrived after commencement; complaints about
    acts after it move through every state with the Ombudsman open; some about acts before it
    (CP26/4 para 3.24) are answered with the statement that the Ombudsman cannot consider them."""
    available = demo_letters[("complaint", "available")]
    before = demo_letters[("complaint", "before_commencement")]
    assert all(row.endswith("True") for row in available + before)
    assert {row.split()[0] for row in available} == set(Status.values)
    assert before
    assert demo_letters[("final_rejected", "before_commencement")]


def test_the_checklist_covers_every_letter_type():
    assert {row.letter_type for row in ROWS} == set(LetterType.values)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.section}: {r.requirement}"[:90])
def test_every_demo_letter_has_the_sentence_the_checklist_names(row, demo_letters):
    letters = demo_letters.get((row.letter_type, row.variant), [])
    assert letters, f"the demo sends no {row.letter_type} letter of variant {row.variant}"
    for text in letters:
        for pattern in row.patterns:
            assert re.search(pattern, text), f"{row.requirement}: {pattern!r} not in:\n{text}"
