"""The house plan, checked: one app per folder, modules that fit in a head, every module of the
two split apps placed on a layer, and migrations that match the models.

The layers themselves are import-linter's contracts (.importlinter, run by ``make lint``); these
tests guard what a contract cannot see.
"""

from __future__ import annotations

import configparser
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "common",
    "complaints",
    "letters",
    "remediation",
    "fos",
    "evidence",
    "reporting",
    "intake",
    "notifications",
    "audit",
    "inbox",
    "demo",
]
MAX_LINES = 500


def _layer_modules() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"]
    return {
        name.strip()
        for line in layers.splitlines()
        for name in line.replace("|", ":").split(":")
        if name.strip()
    }


@pytest.mark.parametrize("app", ["complaints", "letters"])
def test_every_module_of_a_split_app_is_on_a_layer(app):
    """complaints and letters sit on two layers each: a module on neither would escape the
    layering contract unseen."""
    placed = _layer_modules()
    folder = ROOT / app
    modules = {
        f"{app}.{p.stem if p.is_file() else p.name}"
        for p in folder.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__")
        or (p.is_dir() and (p / "__init__.py").exists())
    }
    assert modules - placed == set()


def test_one_app_per_folder():
    """Every installed project app is a top-level folder; none is nested in another app."""
    ours = [
        c
        for c in apps.get_app_configs()
        if Path(c.path).is_relative_to(ROOT) and "site-packages" not in Path(c.path).parts
    ]
    assert sorted(c.name for c in ours) == sorted(APPS)
    assert all(Path(c.path).parent == ROOT for c in ours)


def test_no_application_module_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for app in APPS + ["config"]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


@pytest.mark.django_db
def test_migrations_match_the_models():
    """Moving code never changes the schema: no migration is missing."""
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


RULE = re.compile(
    r"\b(DISP \d+ Annex \d+[A-Z]*|DISP(?: App)? ?\d+(?:\.\d+)*(?:[A-Z]+)?(?:\(\d+\))?(?:\([a-z]\))?"
    r"|SUP ?16\.34(?:\.\d+[A-Z]*)?(?:\(\d+\))?|Glossary: complaint|FSMA s\.\s?\d+"
    r"|DPA 2018 s\.164A(?:\(\d+\))?(?:\([a-z]\))?|UK GDPR Art \d+(?:\(\d+\))?)"
)


def test_every_rule_the_code_cites_is_in_the_architecture_table():
    """docs/architecture.md maps every DISP, FOS and SUP rule reference in the code to the
    module that enforces it and the test that proves it: a new reference needs a row."""
    table = (ROOT / "docs" / "architecture.md").read_text()
    rows = {
        line.split("|")[1].strip()
        for line in table.splitlines()
        if line.startswith("| ") and line.count("|") >= 4
    }
    cited = {
        re.sub(r"\s+", " ", m)
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for m in RULE.findall(path.read_text())
    }
    assert cited - rows == set()


def test_the_rules_table_is_what_the_code_and_tests_say():
    """The table's modules and tests are generated (scripts/rules_table.py): moving a rule's code
    or its test without regenerating the table fails here."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rules_table.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, "run: python scripts/rules_table.py"
