"""The demo clock: `make demo` runs the app as if today were a day after the regime began.

The FCA's cryptoasset regime starts on 25 October 2027 (CP26/4; ``CRYPTO_COMMENCEMENT_DATE``).
Before then, every complaint a demo could log today would be about an act before commencement:
no ombudsman referral right, no SUP 16.34 quarter to report. So the demo runs the whole process
(the loader and the server) at ``DEMO_CLOCK``, almost a year into the regime, and every page
says so.
The clock ticks from that moment; nothing is stored about it, so removing the setting returns
the app to real time (the demo data then simply lies in the future).

``DEMO_CLOCK`` is "regime" (the standard demo moment below) or an ISO date or date-time read
as London time. It is refused in production (config.settings).
"""

from __future__ import annotations

import functools
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LONDON = ZoneInfo("Europe/London")

# Mon 16 Oct 2028, 09:30: almost a year into the regime, so the demo's oldest complaint
# (received up to 350 days before) arrived after 25 Oct 2027, and the quarter to 30 Sep 2028 has
# closed with its SUP 16.34 return due within the fortnight.
REGIME_DEMO_MOMENT = datetime(2028, 10, 16, 9, 30, tzinfo=LONDON)


@functools.cache
def demo_moment(value: str) -> datetime | None:
    """The moment ``DEMO_CLOCK`` names, or None when it is unset (read once per value: every
    page's context asks)."""
    value = value.strip()
    if not value:
        return None
    if value == "regime":
        return REGIME_DEMO_MOMENT
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"DEMO_CLOCK={value!r} is neither 'regime' nor an ISO date or date-time"
        ) from None
    if len(value) == 10:  # a bare date: the start of the working day
        moment = datetime.combine(moment.date(), time(9, 30))
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def start_demo_clock() -> datetime | None:
    """Move this process's clock to the demo moment (ticking on from there); None if unset."""
    moment = demo_moment(getattr(settings, "DEMO_CLOCK", ""))
    if moment is None:
        return None
    import time_machine  # installed with requirements-dev.txt, which `make demo` installs

    time_machine.travel(moment, tick=True).start()
    return moment


def demo_clock_context(request) -> dict[str, object]:
    """Templates show a banner while the demo clock runs."""
    moment = demo_moment(getattr(settings, "DEMO_CLOCK", ""))
    if moment is None:
        return {"demo_clock": None}
    return {"demo_clock": {"moment": moment, "commencement": settings.CRYPTO_COMMENCEMENT_DATE}}
