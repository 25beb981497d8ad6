"""Browser tests: Playwright (Python) driving Debian's Chromium against ``live_server``.

No browser is downloaded: Chromium comes from Debian (``apt-get install chromium``, done by the
Makefile) and Playwright is pointed at it.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from tests.mailservers import dovecot, inbox, mailbox, smtp, smtp_server  # noqa: F401  (fixtures)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The suite runs two workers on two cores beside the live server, Chromium and a Celery worker:
# an htmx answer can take longer than Playwright's default 5 s to arrive. Assertions still wait
# for the expected text; only a page that never shows it fails (after 15 s).
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium not found: run `make system-deps` (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


def login(page, live_server, user, *, firm_id=None) -> None:
    """Sign ``user`` in by session cookie (the sign-in form has its own test)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if firm_id is not None:
        session["firm_id"] = firm_id
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot under docs/screenshots/ (shown in the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# axe-core's impact levels that fail a page: the bar is "no serious or critical issue".
AXE_FAILING_IMPACTS = frozenset({"serious", "critical"})


def assert_accessible(page) -> None:
    """Run axe-core (bundled with axe-playwright-python, no network) on the page as it is now and
    fail on any serious or critical violation, naming the rule and the elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in bad
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(report)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # live_server tests share one server thread per worker; keep them on one worker.
            item.add_marker(pytest.mark.xdist_group("e2e"))
