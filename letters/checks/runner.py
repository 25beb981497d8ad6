"""Running the checks on a rendered letter: each required element passes or fails once."""

from __future__ import annotations

from collections.abc import Iterable

from .requirements import checks_for
from .spec import Check, CheckResult, Facts
from .text import as_read, has, html_to_text, normalise
from .welsh import either

WELSH = "cy"


def _value_present(value: str, text: str) -> bool:
    needle = normalise(value)
    return bool(needle) and needle in text


def run_checks(
    facts: Facts, html: str, values: dict[str, str], checks: Iterable[Check] | None = None
) -> list[CheckResult]:
    """Run every applicable check on the rendered letter ``html``."""
    text = normalise(html_to_text(html))
    # A Welsh letter is read for each phrase in English or in Welsh (``checks.welsh``).
    read = either if facts.language == WELSH else str
    results: list[CheckResult] = []
    for check in checks if checks is not None else checks_for(facts):
        missing = [p for p in check.phrases if not has(read(p), text)]
        empty = [v for v in check.values if not normalise(values.get(v, "") or "")]
        absent = [v for v in check.values if v not in empty and not _value_present(values[v], text)]
        present_forbidden = [p for p in check.forbidden if has(read(p), text)]
        altered = [v for v in check.verbatim if as_read(v) not in text]
        unstated = tuple(dict.fromkeys(s for s in check.stated(facts) if normalise(s) not in text))
        unmet = check.holds(facts)
        detail = ""
        if empty:
            detail = f"No {', '.join(e.replace('_', ' ') for e in empty)} given."
        elif missing or absent:
            detail = "Not found in the letter."
        elif unstated:
            detail = f"{', '.join(unstated)} not stated in the letter."
        elif unmet:
            detail = unmet
        elif altered:
            detail = "The prescribed wording is missing or not word for word."
        elif present_forbidden:
            detail = "The letter also contains contradictory wording."
        passed = not (
            missing or empty or absent or present_forbidden or altered or unstated or unmet
        )
        result = CheckResult(check.key, check.label, check.rule, passed, detail, unstated)
        previous = next((r for r in results if r.key == check.key), None)
        if previous is None:
            results.append(result)
        elif previous.passed and not passed:
            # One element, several ways to check it: report it once, failed if any part failed.
            results[results.index(previous)] = result
    return results
