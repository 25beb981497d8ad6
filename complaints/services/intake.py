"""Intake: a complainant and a complaint enter the case, with their DISP deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from common.audit import Actor, history_user, insert_audited
from common.compiled import cursor as compiled_cursor
from common.errors import ValidationFailed
from common.fields import build, clean_values

from ..choices import (
    Activity,
    Channel,
    ReceivedVia,
    Regime,
    Relationship,
)
from ..deadlines import apply_deadlines
from ..disp.calendar import BusinessCalendar
from ..disp.clock import dates_out_of_order
from ..errors import ErrorCode
from ..models import (
    Complainant,
    Complaint,
    Firm,
    ReferenceCounter,
)
from ..selectors.intake import likely_duplicate_rows
from ._base import (
    after_commit,
    member_user,
    require_text,
)
from .vulnerability import vulnerability_values


@dataclass(frozen=True)
class ComplainantData:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    client_reference: str = ""
    complainant_type: str = "consumer"
    is_retail: bool = True
    vulnerable_health: bool = False
    vulnerable_life_events: bool = False
    vulnerable_resilience: bool = False
    vulnerable_capability: bool = False
    vulnerability_note: str = ""
    vulnerability_support_needs: bool = False
    vulnerability_identified_by: str = ""
    vulnerability_consent: bool = False
    vulnerability_review_on: date | None = None


@dataclass(frozen=True)
class _Choices:
    allowed: frozenset[str]
    values: list[str]

    def __contains__(self, value: object) -> bool:
        return value in self.allowed


def _choice_error(field: str, value: str, choices: list[str]) -> dict[str, list[str]]:
    return {field: [f"{value!r} is not one of: {', '.join(choices)}."]}


# Read once: an enum's ``values`` is rebuilt on every access (a register import checks
# thousands of rows).
_CHOICES = {
    field: _Choices(frozenset(enum.values), enum.values)
    for field, enum in (
        ("channel", Channel),
        ("received_via", ReceivedVia),
        ("relationship", Relationship),
        ("activity", Activity),
        ("regime", Regime),
    )
}
_AFTER_RECEIPT = {
    "event_date": "The event complained of cannot be after the complaint was received.",
    "awareness_date": "Awareness cannot be after the complaint was received.",
}


def validate_intake(
    *,
    now: datetime,
    received_at: datetime,
    channel: str,
    received_via: str,
    relationship: str,
    activity: str,
    regime: str,
    event_date: date | None,
    awareness_date: date | None,
    description: str,
    is_complaint: bool,
    event_date_unknown: bool = False,
) -> None:
    errors: dict[str, list[str]] = {}
    if event_date is not None and event_date_unknown:
        errors["event_date_unknown"] = [
            "Give the date of the event complained of, or record that it is unknown, not both."
        ]
    if received_at.tzinfo is None:
        errors["received_at"] = ["Must include a time zone."]
    elif received_at > now:
        errors["received_at"] = ["Cannot be in the future."]
    for field, value in (
        ("channel", channel),
        ("received_via", received_via),
        ("relationship", relationship),
        ("activity", activity),
        ("regime", regime),
    ):
        if value not in _CHOICES[field]:
            errors.update(_choice_error(field, value, _CHOICES[field].values))
    if not description.strip():
        errors["description"] = ["Describe what the complainant is dissatisfied with."]
    if "received_at" not in errors:
        for field in dates_out_of_order(
            received_at, event_date=event_date, awareness_date=awareness_date
        ):
            errors[field] = [_AFTER_RECEIPT[field]]
    if event_date and awareness_date and awareness_date < event_date:
        errors["awareness_date"] = ["Awareness cannot be before the event complained of."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The complaint could not be logged", errors)


def _next_reference(firm: Firm, year: int) -> str:
    return references_take(firm=firm, counts={year: 1})[year][0]


def references_take(*, firm: Firm, counts: dict[int, int]) -> dict[int, list[str]]:
    """Take ``counts[year]`` consecutive references of each year from the firm's counters, in
    the caller's transaction: one create, or a whole register import at once.

    One statement creates or advances every year's counter and answers its new last number
    (an upsert, years in ascending order so two callers lock the rows in one order). The rows
    stay locked until the caller's transaction ends, so callers take their references as late
    as they can: gap-free (a rollback returns the numbers) and unique per firm and year."""
    years = sorted(counts)
    if not years:
        return {}
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    rows = ", ".join(["(%s, %s, %s)"] * len(years))
    # Prepared (its text is fixed per number of years): the server plans it once per connection.
    with compiled_cursor(connection.alias, prepared=True) as cursor:
        cursor.execute(
            f"INSERT INTO {table} (firm_id, year, last) VALUES {rows} "
            f"ON CONFLICT (firm_id, year) DO UPDATE SET last = {table}.last + EXCLUDED.last "
            "RETURNING year, last",
            [value for year in years for value in (firm.pk, year, counts[year])],
        )
        last_by_year = dict(cursor.fetchall())
    return {
        year: [
            f"{firm.reference_prefix}-{year}-{n:05d}"
            for n in range(last_by_year[year] - counts[year] + 1, last_by_year[year] + 1)
        ]
        for year in years
    }


DUPLICATE_WITHIN = timedelta(days=1)


def _likely_duplicate_of(complaint: Complaint) -> int | None:
    """The earlier complaint a new one likely repeats (the log form's check: the same
    complainant, here also the same description, received within a day), or None. Several
    repeats all point at the first."""
    person = complaint.complainant
    found = likely_duplicate_rows(
        firm_id=complaint.firm_id,
        now=complaint.received_at,
        complainant_id=person.pk,
        name=person.name,
        email=person.email,
        client_reference=person.client_reference,
        description=complaint.description,
        window=DUPLICATE_WITHIN,
    )
    # Newest first, as the log form lists them: the last of its ten is the one received first.
    if not found:
        return None
    pk, first_of = found[-1]
    return first_of or pk


def complainant_build(
    *, firm: Firm, data: ComplainantData, now: datetime | None = None
) -> Complainant:
    """The complainant, checked and not yet saved. The fields given are checked as
    ``full_clean`` would check them (``clean_values``: the model has no ``clean``, unique field
    or constraint beyond its key, and every other field keeps its valid default), without
    building a model to check."""
    require_text(data.name, "name", "The complainant needs a name.")
    fields = dict(data.__dict__)
    fields.update(vulnerability_values(fields, now=now or timezone.now()))
    return build(Complainant, {"firm": firm, **clean_values(Complainant, fields)})


def complainant_create(
    *, firm: Firm, actor: Actor, data: ComplainantData, now: datetime | None = None
) -> Complainant:
    complainant = complainant_build(firm=firm, data=data, now=now)
    insert_audited(complainant, actor=actor, reason="complainant.create")
    return complainant


def complaint_build(
    *,
    firm: Firm,
    complainant: Complainant,
    actor: Actor,
    now: datetime,
    calendar: BusinessCalendar | None = None,
    **fields: Any,
) -> Complaint:
    """The complaint, not yet saved, with the Glossary's verdict (limb (2): dissatisfaction
    alleging financial loss, material distress or material inconvenience) and every deadline
    the DISP clock gives as of ``now``. ``complaint_register`` saves it; the register import
    builds many in memory first (``calendar``: the firm's, read once)."""
    complaint = build(
        Complaint,
        {"firm": firm, "complainant": complainant, "created_by": history_user(actor), **fields},
    )
    complaint.is_complaint = complaint.expression_of_dissatisfaction and (
        complaint.alleged_financial_loss
        or complaint.alleged_material_distress
        or complaint.alleged_material_inconvenience
    )
    # Vulnerable at the time of the complaint (FG21/1): kept on the complaint, not read later.
    complaint.complainant_vulnerable = complainant.is_vulnerable
    apply_deadlines(complaint, now=now, calendar=calendar)
    return complaint


def complaint_register(
    *,
    firm: Firm,
    actor: Actor,
    now: datetime,
    received_at: datetime,
    channel: str,
    activity: str,
    description: str,
    complainant_id: int | None = None,
    complainant: ComplainantData | None = None,
    received_via: str = ReceivedVia.DIRECT,
    forwarded_from_firm: str = "",
    relationship: str = Relationship.CUSTOMER,
    expression_of_dissatisfaction: bool = True,
    alleged_financial_loss: bool = False,
    alleged_material_distress: bool = False,
    alleged_material_inconvenience: bool = False,
    regime: str = Regime.STANDARD,
    event_date: date | None = None,
    event_date_unknown: bool = False,
    awareness_date: date | None = None,
    owner_id: int | None = None,
    external_reference: str = "",
    reference: str | None = None,
    change_reason: str = "complaint.register",
    calendar: BusinessCalendar | None = None,
    savepoint: bool = True,
) -> Complaint:
    """Log a complaint (or feedback/query) and compute its DISP deadlines (``calendar``: the
    firm's, when the caller has read it already). Inside a caller's transaction the writes are
    undone by a savepoint on a refusal, so a caller may catch it and carry on; ``savepoint=False``
    for a caller whose transaction a refusal ends anyway (the API create: two round trips fewer,
    one of them under the firm's reference counter).

    Glossary 'complaint' limb (2): an expression of dissatisfaction alleging financial loss,
    material distress or material inconvenience. Anything else is stored as feedback or a query
    and is never counted in SUP 16.34 returns.
    """
    is_complaint = expression_of_dissatisfaction and (
        alleged_financial_loss or alleged_material_distress or alleged_material_inconvenience
    )
    validate_intake(
        now=now,
        received_at=received_at,
        channel=channel,
        received_via=received_via,
        relationship=relationship,
        activity=activity,
        regime=regime,
        event_date=event_date,
        awareness_date=awareness_date,
        description=description,
        is_complaint=is_complaint,
        event_date_unknown=event_date_unknown,
    )
    if (complainant_id is None) == (complainant is None):
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "Give either an existing complainant or a new complainant's details.",
            fields={"complainant": ["Required."]},
        )
    with transaction.atomic(savepoint=savepoint):
        if complainant_id is not None:
            person = Complainant.objects.filter(pk=complainant_id, firm=firm).first()
            if person is None:
                raise ValidationFailed(
                    ErrorCode.VALIDATION,
                    "That complainant does not exist in this firm.",
                    fields={"complainant": ["Unknown complainant."]},
                )
        else:
            assert complainant is not None
            person = complainant_create(firm=firm, actor=actor, data=complainant, now=now)
        owner = None
        if owner_id is not None:
            owner = member_user(firm, owner_id)
        complaint = complaint_build(
            firm=firm,
            complainant=person,
            actor=actor,
            now=now,
            received_at=received_at,
            channel=channel,
            received_via=received_via,
            forwarded_from_firm=forwarded_from_firm,
            relationship=relationship,
            activity=activity,
            description=description.strip(),
            expression_of_dissatisfaction=expression_of_dissatisfaction,
            alleged_financial_loss=alleged_financial_loss,
            alleged_material_distress=alleged_material_distress,
            alleged_material_inconvenience=alleged_material_inconvenience,
            regime=regime,
            event_date=event_date,
            event_date_unknown=event_date_unknown,
            awareness_date=awareness_date,
            owner=owner,
            external_reference=external_reference,
            calendar=calendar,
        )
        # The counter stays locked to the end of the transaction (creates of one firm queue
        # there), so it is taken last: only the check below and the writes follow it.
        complaint.reference = reference or _next_reference(firm, complaint.receipt_date.year)
        # After the counter's lock: a create that committed first is seen here.
        complaint.likely_duplicate_of_id = _likely_duplicate_of(complaint)
        # What Complaint.save would add, response_deadline, complaint_build's apply_deadlines
        # has set (neither line above changes it), so the row is written without save.
        insert_audited(complaint, actor=actor, reason=change_reason)
        after_commit(complaint.pk, "register")
    return complaint
