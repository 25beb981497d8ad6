"""Demo data: run the deadline watch once so demo users open the app to real notifications."""

from __future__ import annotations

from demo.complaints import DemoContext
from notifications.services import deadline_watch_run


def load(ctx: DemoContext) -> None:
    # The demo complaints were logged relative to ctx.now, so some are near or past their
    # deadlines; the watch issues those notices exactly as the 15-minute beat job would.
    deadline_watch_run(now=ctx.now, send_emails=False)
