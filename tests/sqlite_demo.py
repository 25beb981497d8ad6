"""The demo database (SQLite, ``make demo``) for tests that run code against it in a subprocess.

Migrating a fresh SQLite file costs about 30 s of CPU (mostly Django rendering migration states),
so the suite migrates one file per session (``migrated_sqlite``, in tests/conftest.py) and each
test gets its own copy: the migration path is still proved from nothing, once. Tests using it are
in the xdist group ``sqlite-demo`` so one worker migrates.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GROUP = pytest.mark.xdist_group("sqlite-demo")


def sqlite_env(path: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": "/usr/bin:/bin",
        **extra,
    }


def migrate_fresh(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=sqlite_env(path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def run_script(template: Path, tmp_path: Path, script: str, **extra: str) -> str:
    """Run ``script`` in a fresh process against a copy of the migrated demo database."""
    db = tmp_path / "demo.sqlite3"
    shutil.copyfile(template, db)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=sqlite_env(db, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
