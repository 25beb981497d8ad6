"""What the complaint page and its panels each read, read once per request: the firm's members
(the owner and task forms) and its business-day calendar (the deadlines and the data-protection
clocks)."""

from __future__ import annotations

from django.http import HttpRequest

from common.context import per_request

from .deadlines import calendar_for_firm
from .disp.calendar import BusinessCalendar
from .models import Firm, Membership
from .selectors.queue import firm_members


def firm_members_once(request: HttpRequest, firm_id: int) -> list[Membership]:
    return per_request(request, ("firm_members", firm_id), lambda: firm_members(firm_id))


def firm_calendar_once(request: HttpRequest, firm: Firm) -> BusinessCalendar:
    return per_request(request, ("firm_calendar", firm.pk), lambda: calendar_for_firm(firm))
