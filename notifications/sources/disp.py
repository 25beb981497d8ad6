"""The DISP deadline sources.

Each source is one query over every firm, filtered by the deadline columns (indexed with firm
and status), never a Python loop over all complaints. Per-firm thresholds (calendar, firm
acknowledgement target) are folded into one ``OR`` of per-group date conditions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q, QuerySet

from common.compiled import Compiled, any_ids
from complaints.choices import Regime, Status
from complaints.models import Complaint, Firm
from notifications.due import DueItem, WatchContext

# Before DISP 1.5 resolution, DISP 1.6 acknowledgement or the first DISP 1.6.2R response.
AWAITING_RESPONSE = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING]

_FIELDS = ("pk", "firm_id", "reference", "owner_id")


def _complaints(ctx: WatchContext, *statuses: str) -> QuerySet[Complaint]:
    # firm_id__in leads every filter so the (firm, status, <deadline>) indexes are usable.
    qs = Complaint.objects.filter(
        firm_id__in=ctx.firm_ids, status__in=list(statuses), is_complaint=True
    )
    return ctx.watched(qs, "pk")


# A single check's reads, compiled once per process, source, shape and number of complaints
# (issue 18: every announced change runs two or three of them); ``_rows`` binds the complaints
# and the moment in the places of ``any_ids`` and this moment no run has.
_NO_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
_COMPILED: dict[tuple, Compiled] = {}


def _rows(
    ctx: WatchContext, name: str, build: Callable[[WatchContext], QuerySet], *, at: bool = False
) -> Iterable[Sequence]:
    """The rows of ``build(ctx)``; ``at``: its SQL holds ``ctx.now``."""
    if ctx.complaint_ids is None or ctx.shape is None:
        return build(ctx)
    key = (name, ctx.shape, len(ctx.complaint_ids))
    compiled = _COMPILED.get(key)
    if compiled is None:
        if len(_COMPILED) >= 256:  # a new day or calendar: the old shapes are not asked again
            _COMPILED.clear()
        ids = any_ids(len(ctx.complaint_ids))
        sentinels = (*ids, _NO_MOMENT) if at else ids
        compiled = _COMPILED[key] = Compiled(build(ctx.compiling(ids, _NO_MOMENT)), *sentinels)
    return compiled.rows(*ctx.complaint_ids, *((ctx.now,) if at else ()))


def _per_firm_group[K](
    ctx: WatchContext, group: Callable[[Firm], K], condition: Callable[[K, int], Q]
) -> Q:
    """One ``OR`` of ``condition`` per group of firms alike in ``group`` (their threshold is the
    same, so it is worked out once, for the first firm of the group)."""
    groups: dict[K, list[int]] = defaultdict(list)
    for firm in ctx.firms.values():
        groups[group(firm)].append(firm.pk)
    combined = Q(pk__in=[])
    for key, ids in groups.items():
        combined |= Q(firm_id__in=ids) & condition(key, ids[0])
    return combined


def _due_within_warning(ctx: WatchContext, column: str) -> Q:
    """``column`` on or before the firm's warning date (today + N business days)."""
    return _per_firm_group(
        ctx,
        lambda firm: firm.nation,
        lambda _, first: Q(**{f"{column}__lte": ctx.warn_by(first)}),
    )


def _item(
    ctx: WatchContext, row: Sequence, *, kind: str, label: str, rule: str, due: date | None = None
) -> DueItem:
    """The item for a complaint ``row`` (``_FIELDS``, then its deadline column, which is the
    due date unless ``due`` says otherwise); the level follows from the due date."""
    pk, firm_id, reference, owner_id = row[:4]
    due = row[4] if due is None else due
    return DueItem(
        source="disp",
        object_key=f"complaint:{pk}",
        kind=kind,
        label=label,
        rule=rule,
        level=ctx.level_for(due),
        due=due,
        firm_id=firm_id,
        complaint_id=pk,
        reference=reference,
        owner_id=owner_id,
    )


def src_due_today(ctx: WatchContext) -> Iterator[DueItem]:
    """DISP 1.5.1R: the SRC window closes at close of business today and is still open."""

    def build(ctx: WatchContext) -> QuerySet:
        qs = _complaints(ctx, *AWAITING_RESPONSE)
        qs = qs.filter(src_deadline=ctx.today, src_deadline_at__gt=ctx.now)
        return qs.values_list(*_FIELDS, "src_deadline")

    for row in _rows(ctx, "src", build, at=True):
        yield _item(
            ctx,
            row,
            kind="src",
            label="Summary resolution window closes at close of business today",
            rule="DISP 1.5.1R",
        )


def _latest_receipt_due_by(ctx: WatchContext, firm_id: int, target: int) -> date:
    """The latest receipt date whose acknowledgement target day is on or before today."""
    calendar = ctx.calendar(firm_id)
    receipt = ctx.today
    while calendar.nth_business_day_after(receipt, target) > ctx.today:
        receipt -= timedelta(days=1)
    return receipt


def acknowledgement_due(ctx: WatchContext) -> Iterator[DueItem]:
    """DISP 1.6.1R(1): prompt acknowledgement. 'Prompt' is firm policy
    (Firm.acknowledgement_target_business_days after receipt): near on the target day,
    missed after it."""

    def build(ctx: WatchContext) -> QuerySet:
        condition = _per_firm_group(
            ctx,
            lambda firm: (firm.nation, firm.acknowledgement_target_business_days),
            lambda key, first: Q(receipt_date__lte=_latest_receipt_due_by(ctx, first, key[1])),
        )
        qs = _complaints(ctx, Status.RECEIVED).filter(condition, acknowledged_at__isnull=True)
        return qs.values_list(*_FIELDS, "receipt_date")

    for row in _rows(ctx, "acknowledgement", build):
        firm = ctx.firms[row[1]]
        due = ctx.calendar(firm.pk).nth_business_day_after(
            row[4], firm.acknowledgement_target_business_days
        )
        yield _item(
            ctx,
            row,
            kind="acknowledgement",
            label="Acknowledgement (firm target: "
            f"{firm.acknowledgement_target_business_days} business day(s) after receipt)",
            rule="DISP 1.6.1R(1)",
            due=due,
        )


def final_response_due(ctx: WatchContext) -> Iterator[DueItem]:
    """DISP 1.6.2R: final or holding response by the end of 8 weeks; DISP 1.6.2AR(1): PSD/EMD
    final (or, exceptionally, holding) response within 15 business days."""

    def build(ctx: WatchContext) -> QuerySet:
        qs = _complaints(ctx, *AWAITING_RESPONSE)
        qs = qs.filter(_due_within_warning(ctx, "final_response_due"))
        return qs.values_list(*_FIELDS, "final_response_due", "regime")

    for row in _rows(ctx, "final_response", build):
        if row[5] == Regime.PSD_EMD:
            kind, label, rule = "psd_15", "15-business-day response", "DISP 1.6.2AR(1)"
        else:
            kind, label, rule = "final_response", "8-week final or holding response", "DISP 1.6.2R"
        yield _item(ctx, row, kind=kind, label=label, rule=rule)


def _after_holding(
    ctx: WatchContext, *, regime: str, column: str, kind: str, label: str, rule: str
) -> Iterator[DueItem]:
    """The final response date ``column`` that applies once a holding response of ``regime``
    has been sent: near within the warning window, missed after it."""

    def build(ctx: WatchContext) -> QuerySet:
        return (
            _complaints(ctx, Status.HOLDING_RESPONSE_SENT)
            .filter(regime=regime, **{f"{column}__isnull": False})
            .filter(_due_within_warning(ctx, column))
            .values_list(*_FIELDS, column)
        )

    for row in _rows(ctx, kind, build):
        yield _item(ctx, row, kind=kind, label=label, rule=rule)


def promised_final_response_due(ctx: WatchContext) -> Iterator[DueItem]:
    """DISP 1.6.2R(2)(a): after an 8-week holding response, the final response by the date it
    promised (the firm's own deadline)."""
    return _after_holding(
        ctx,
        regime=Regime.STANDARD,
        column="expected_final_response_on",
        kind="promised_final_response",
        label="Final response promised in the holding response",
        rule="DISP 1.6.2R(2)(a)",
    )


def psd_extended_final_response_due(ctx: WatchContext) -> Iterator[DueItem]:
    """DISP 1.6.2AR(2): after a PSD/EMD holding response, the final response within 35
    business days of receipt."""
    return _after_holding(
        ctx,
        regime=Regime.PSD_EMD,
        column="extended_final_response_due",
        kind="psd_35",
        label="35-business-day final response",
        rule="DISP 1.6.2AR(2)",
    )
