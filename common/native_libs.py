"""Is WeasyPrint (letters as PDFs) usable here? ``make demo`` asks before it migrates:
``python -m common.native_libs`` exits 0 when it is, else prints how to install the native
libraries WeasyPrint needs (Pango, HarfBuzz, fonts) on Debian/Ubuntu, Fedora and macOS and
exits 1. Nothing here installs anything or needs root: the demo runs wherever Python 3.12+ is.

Plain Python, no Django: it runs before the settings are loaded.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

INSTALL = {
    "Debian/Ubuntu": "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0 fonts-dejavu-core",
    "Fedora": "sudo dnf install pango harfbuzz dejavu-sans-fonts",
    "macOS (Homebrew)": "brew install pango harfbuzz",
}


def _import_weasyprint() -> None:
    importlib.import_module("weasyprint")


def weasyprint_problem(importer: Callable[[], None] | None = None) -> str | None:
    """None when WeasyPrint loads; else what to do about it, in words and commands."""
    try:
        (importer or _import_weasyprint)()
    except (ImportError, OSError) as exc:
        return install_message(exc)
    return None


def install_message(exc: BaseException) -> str:
    if isinstance(exc, ModuleNotFoundError):
        cause = "the weasyprint package is not installed (run `make install` first)"
    else:
        cause = "its native libraries (Pango, HarfBuzz) are missing"
    lines = [
        f"error: WeasyPrint cannot run: {cause}.",
        f"  ({type(exc).__name__}: {exc})",
        "The case manager prints every letter as a PDF with WeasyPrint. Install its libraries",
        "with your system's package manager, then run `make demo` again:",
        *(f"  {system + ':':<18} {command}" for system, command in INSTALL.items()),
        "More: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html",
    ]
    return "\n".join(lines)


def main() -> int:
    problem = weasyprint_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
