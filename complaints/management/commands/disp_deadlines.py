"""The DISP clock for compliance staff: ``manage.py disp_deadlines --received ... --nation ...``.

Prints one JSON object of ISO dates (null where not applicable) and the rule behind each.
"""

import json
from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from complaints.choices import Nation
from complaints.deadlines import calendar_for_nation
from complaints.disp.clock import Regime, arrival_date, compute_deadlines, dates_out_of_order

LONDON = ZoneInfo("Europe/London")
REGIMES = {
    "standard": Regime.STANDARD,
    "psd": Regime.PSD_EMD,
    "emd": Regime.PSD_EMD,
    "psd_emd": Regime.PSD_EMD,
}


def _parsed[T](option: str, value: str, parse: Callable[[str], T], expected: str) -> T:
    try:
        return parse(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not {expected}") from None


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    return _parsed(option, value, date.fromisoformat, "a date (YYYY-MM-DD)")


class Command(BaseCommand):
    help = "Compute the DISP deadlines for a complaint and print them as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received", help="Receipt date-time, ISO 8601 (Europe/London if no offset)"
        )
        parser.add_argument("--nation", help=f"One of: {', '.join(Nation.values)}")
        parser.add_argument("--regime", default="standard", help="standard (8 weeks) or psd/emd")
        parser.add_argument("--event-date")
        parser.add_argument("--awareness-date")
        parser.add_argument("--final-response-sent", help="Date the final response or SRC was sent")
        parser.add_argument(
            "--no-six-month-wording",
            action="store_true",
            help="The response omitted the six-month wording (DISP 2.8.3G)",
        )
        parser.add_argument("--close-of-business", default="17:00", help="HH:MM")
        parser.add_argument(
            "--defer-after-hours",
            action="store_true",
            help="Legacy DISP 1.5.3G: after-hours receipt counts from the next business day",
        )

    def handle(self, *args, **opts) -> None:
        if not opts["received"]:
            raise CommandError("--received is required (e.g. 2026-04-02T16:00)")
        received = _parsed(
            "--received",
            opts["received"],
            datetime.fromisoformat,
            "an ISO date-time (YYYY-MM-DDTHH:MM)",
        )
        if received.tzinfo is None:
            received = received.replace(tzinfo=LONDON)
        nation = opts["nation"]
        if nation not in Nation.values:
            raise CommandError(f"--nation: {nation!r} is not one of {', '.join(Nation.values)}")
        regime = REGIMES.get((opts["regime"] or "").lower())
        if regime is None:
            raise CommandError(f"--regime: {opts['regime']!r} is not 'standard' or 'psd'")
        close = _parsed(
            "--close-of-business", opts["close_of_business"], time.fromisoformat, "a time (HH:MM)"
        )
        event = _date("--event-date", opts["event_date"])
        awareness = _date("--awareness-date", opts["awareness_date"])
        sent = _date("--final-response-sent", opts["final_response_sent"])
        if event and awareness and awareness < event:
            raise CommandError("--awareness-date: cannot be before --event-date")
        # DISP 1.6.2R counts a response from receipt; the event (DISP 2.8.2R(2)) precedes it.
        given = {"event_date": event, "awareness_date": awareness, "final_response_sent": sent}
        for field, relation in dates_out_of_order(received, **given).items():
            raise CommandError(
                f"--{field.replace('_', '-')}: {given[field]} is {relation} the complaint was "
                f"received ({arrival_date(received)})"
            )
        result = compute_deadlines(
            received_at=received,
            calendar=calendar_for_nation(nation),
            regime=regime,
            close_of_business=close,
            defer_after_hours=opts["defer_after_hours"],
            event_date=event,
            awareness_date=awareness,
            final_response_sent=sent,
            six_month_wording=not opts["no_six_month_wording"],
            final_response_day_count=settings.DISP_FINAL_RESPONSE_DAY_COUNT,
        )
        payload = result.as_json_dict()
        payload["fos_jurisdiction_commencement"] = settings.CRYPTO_COMMENCEMENT_DATE.isoformat()
        if event:
            payload["event_on_or_after_commencement"] = event >= settings.CRYPTO_COMMENCEMENT_DATE
        self.stdout.write(json.dumps(payload, indent=2))
