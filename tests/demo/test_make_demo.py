"""`make demo` runs wherever Python 3.12+ is (issue 16): no root, no apt-get, no Debian; where
WeasyPrint's native libraries are missing it says how to install them and exits non-zero."""

import subprocess
from pathlib import Path

from common import native_libs

ROOT = Path(__file__).resolve().parents[2]


def _fails(exc: BaseException):
    def importer() -> None:
        raise exc

    return importer


def test_missing_native_libraries_name_the_install_command_of_each_system():
    message = native_libs.weasyprint_problem(
        _fails(OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: not found"))
    )
    assert message is not None
    assert message.startswith("error: WeasyPrint cannot run: its native libraries")
    assert "libpango-1.0-0: not found" in message
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "sudo dnf install pango" in message
    assert "brew install pango" in message


def test_weasyprint_not_installed_says_to_install_the_requirements():
    message = native_libs.weasyprint_problem(_fails(ModuleNotFoundError("No module named 'x'")))
    assert message is not None and "the weasyprint package is not installed" in message
    assert native_libs.weasyprint_problem(lambda: None) is None


def test_the_check_prints_to_stderr_and_exits_non_zero(monkeypatch, capsys):
    monkeypatch.setattr(native_libs, "_import_weasyprint", _fails(OSError("no pango")))
    assert native_libs.main() == 1
    assert "brew install pango" in capsys.readouterr().err
    monkeypatch.setattr(native_libs, "_import_weasyprint", lambda: None)
    assert native_libs.main() == 0


def test_make_demo_never_installs_system_packages():
    """What `make demo` would run, every prerequisite included (a dry run forcing each one)."""
    plan = subprocess.run(
        ["make", "-n", "-B", "demo", "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m common.native_libs" in plan
    assert plan.index("-m common.native_libs") < plan.index("manage.py migrate")
    for root_only in ("apt-get", "dpkg", "sudo", "dnf ", "brew "):
        assert root_only not in plan, root_only
