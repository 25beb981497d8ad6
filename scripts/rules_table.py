"""Rewrite the rules table in docs/architecture.md from the code and the tests.

Every DISP, FOS and SUP reference the application code cites becomes a row: the modules that cite
it, and the tests that name it (or, failing that, the tests of its paragraph). A row whose "Proved
by" cell is prose, not a list of test files, is a decision written by hand and is kept.

    python scripts/rules_table.py          # rewrite the table
    python scripts/rules_table.py --check  # exit 1 if the table is out of date
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_architecture import APPS, RULE  # noqa: E402

DOC = ROOT / "docs" / "architecture.md"
HEADER = "| Rule | Enforced in | Proved by |"
MAX_MODULES, MAX_TESTS = 4, 3
NO_TEST = "no test names it"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _cites(paths: list[Path]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        for match in RULE.findall(path.read_text()):
            found[re.sub(r"\s+", " ", match)].add(str(path.relative_to(ROOT)))
    return found


def _parent(rule: str) -> str | None:
    trimmed = re.sub(r"\([^()]*\)$", "", rule)
    if trimmed != rule:
        return trimmed
    trimmed = re.sub(r"(\.\d+)[A-Z]*$", "", rule)
    return trimmed if trimmed != rule and "." in trimmed else None


def _proving_tests(
    rule: str, modules: list[str], in_tests: dict[str, set[str]], tests: list[Path]
) -> set[str]:
    """The tests naming the rule; else its paragraph's; else its sub-paragraphs'; else the tests
    of the modules that enforce it."""
    look: str | None = rule
    while look:
        if found := in_tests.get(look, set()):
            return found
        look = _parent(look)
    children = {t for cited, ts in in_tests.items() if cited.startswith(rule) for t in ts}
    if children:
        return children
    imports = [_import_of(m) for m in modules]
    return {
        str(t.relative_to(ROOT)) for t in tests if any(i.search(t.read_text()) for i in imports)
    }


def _import_of(module: str) -> re.Pattern[str]:
    package, _, leaf = module.rpartition(".")
    return re.compile(rf"\bfrom {re.escape(package)} import .*\b{leaf}\b|\b{re.escape(module)}\b")


def _cell(items: list[str], most: int) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:most])
    return shown + (" …" if len(items) > most else "")


def _sort_key(rule: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", rule)]


def build(old_rows: dict[str, str]) -> list[str]:
    code = [
        p for app in APPS for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts
    ]
    tests = sorted((ROOT / "tests").rglob("*.py"))
    in_code = _cites(code)
    in_tests = _cites(tests)
    lines = [HEADER, "|---|---|---|"]
    for rule in sorted(in_code, key=_sort_key):
        modules = sorted({_module(ROOT / p) for p in in_code[rule]})
        kept = old_rows.get(rule, "")
        if kept and not kept.startswith("`tests/") and kept != NO_TEST:
            proved = kept
        else:
            found = _proving_tests(rule, modules, in_tests, tests)
            proved = _cell(sorted(found), MAX_TESTS) if found else NO_TEST
        lines.append(f"| {rule} | {_cell(modules, MAX_MODULES)} | {proved} |")
    return lines


def main() -> int:
    text = DOC.read_text().splitlines()
    start = text.index(HEADER)
    end = start
    while end < len(text) and text[end].startswith("|"):
        end += 1
    old_rows = {
        line.split("|")[1].strip(): line.split("|")[3].strip() for line in text[start + 2 : end]
    }
    new = text[:start] + build(old_rows) + text[end:]
    if "--check" in sys.argv:
        return 0 if new == text else 1
    DOC.write_text("\n".join(new) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
