"""The history tables a complaint's timeline reads, discovered from the app registry, not listed.

Any model with simple-history that has a foreign key to Complaint (letters, redress, notes, the
FOS referral...), any model one foreign key further (a FOS stage row -> referral -> complaint),
the complaint itself and its complainant. Models with only a firm foreign key (firm settings,
memberships, templates) appear in a user's activity. A new capability's history therefore shows
up without code here, and this module, below those apps, imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import Combinable
from simple_history.models import HistoricalChanges

from complaints.models import Complainant, Complaint, Firm

# simple-history builds its history classes at run time (``instance_type``, ``tracked_fields``,
# ``history_user``...), so there is no static type to check them against.
HistoryModel = type[Any]
type ModelField = models.Field[Any, Any]
ComplaintQ = Callable[[int], Q]
FirmsQ = Callable[[list[int]], Q]


@dataclass(frozen=True)
class HistorySource:
    """One history table and how its rows relate to a complaint and to firms."""

    model: type[models.Model]
    history_model: HistoryModel
    # Q on history rows, given a complaint id; None: not about one complaint.
    complaint_q: ComplaintQ | None = None
    # Q on history rows, given a list of firm ids.
    firm_q: FirmsQ | None = None
    # Expression giving a history row's complaint id (for links), or None.
    complaint_id_expr: Combinable | None = None
    order: int = 100

    @property
    def key(self) -> str:
        """app_label.modelname of the tracked model."""
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return label(self.model)

    def rows(self) -> models.QuerySet[Any]:
        rows: models.QuerySet[Any] = self.history_model.objects.all()
        return rows


def label(model: type[models.Model]) -> str:
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def _fks_to(model: type[models.Model], target: type[models.Model]) -> list[ModelField]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is target
    ]


@cache
def _all_history_models() -> tuple[HistoryModel, ...]:
    return tuple(
        m
        for m in apps.get_models()
        if issubclass(m, HistoricalChanges) and getattr(m, "instance_type", None) is not None
    )


def _history_model(model: type[models.Model]) -> HistoryModel:
    for m in _all_history_models():
        if m.instance_type is model:
            return m
    raise LookupError(f"{model._meta.label} has no history.")


def _any_of(fields: Iterable[ModelField], value: int | models.QuerySet[Any]) -> Q:
    """Rows whose FK (any of ``fields``) is ``value``: an id, or a subquery of ids."""
    lookup = "__in" if isinstance(value, models.QuerySet) else ""
    q = Q()
    for f in fields:
        q |= Q(**{f"{f.attname}{lookup}": value})
    return q


def _firm_ids_q(attname: str) -> FirmsQ:
    return lambda ids: Q(**{f"{attname}__in": ids})


def _complaints_of_firms(ids: list[int]) -> models.QuerySet[Complaint, Any]:
    return Complaint.objects.filter(firm_id__in=ids).values("pk")


def _case_sources() -> list[HistorySource]:
    """The complaint and its complainant (every one the complaint has had: the history keeps
    earlier links)."""
    history_complaint = _history_model(Complaint)
    return [
        HistorySource(
            Complaint,
            history_complaint,
            complaint_q=lambda cid: Q(id=cid),
            firm_q=_firm_ids_q("firm_id"),
            complaint_id_expr=F("id"),
            order=0,
        ),
        HistorySource(
            Complainant,
            _history_model(Complainant),
            complaint_q=lambda cid: Q(
                id__in=history_complaint.objects.filter(id=cid).values("complainant_id")
            ),
            firm_q=_firm_ids_q("firm_id"),
            order=1,
        ),
    ]


def _linked_source(model: type[models.Model], fks: list[ModelField]) -> HistorySource:
    """A record with a foreign key to the complaint."""
    firm_fk = _fks_to(model, Firm)

    def complaint_q(cid: int) -> Q:
        return _any_of(fks, cid)

    def firm_q(ids: list[int]) -> Q:
        return _any_of(fks, _complaints_of_firms(ids))

    return HistorySource(
        model,
        _history_model(model),
        complaint_q=complaint_q,
        firm_q=_firm_ids_q(firm_fk[0].attname) if firm_fk else firm_q,
        complaint_id_expr=F(fks[0].attname),
        order=10,
    )


def _hop_source(
    model: type[models.Model],
    via: list[ModelField],
    parent: type[models.Model],
    parent_fks: list[ModelField],
) -> HistorySource:
    """A record one foreign key (``via``) further from the complaint than ``parent``."""
    parent_hm = _history_model(parent)

    def complaint_q(cid: int) -> Q:
        parents = parent_hm.objects.filter(_any_of(parent_fks, cid)).values("id")
        return _any_of(via, parents)

    def firm_q(ids: list[int]) -> Q:
        of_firms = _any_of(parent_fks, _complaints_of_firms(ids))
        return _any_of(via, parent_hm.objects.filter(of_firms).values("id"))

    return HistorySource(
        model,
        _history_model(model),
        complaint_q=complaint_q,
        firm_q=firm_q,
        complaint_id_expr=Subquery(
            parent_hm.objects.filter(id=OuterRef(via[0].attname))
            .order_by("-history_date")
            .values(parent_fks[0].attname)[:1]
        ),
        order=20,
    )


@cache
def history_sources() -> tuple[HistorySource, ...]:
    """All history tables the timeline and the audit review read, complaint-linked ones first."""
    case = (Complaint, Complainant)
    sources = _case_sources()

    linked: dict[type[models.Model], list[ModelField]] = {}
    for hm in _all_history_models():
        model = hm.instance_type
        if model not in case and (fks := _fks_to(model, Complaint)):
            linked[model] = fks
    for model, fks in sorted(linked.items(), key=lambda kv: kv[0]._meta.label_lower):
        sources.append(_linked_source(model, fks))

    hops: set[type[models.Model]] = set()
    for hm in _all_history_models():
        model = hm.instance_type
        if model in linked or model in case:
            continue
        for parent, parent_fks in linked.items():
            if via := _fks_to(model, parent):
                sources.append(_hop_source(model, via, parent, parent_fks))
                hops.add(model)
                break

    # Firm-level records (settings, memberships, templates): in a user's activity only.
    firm_level: dict[type[models.Model], ModelField] = {}
    for hm in _all_history_models():
        model = hm.instance_type
        if model in linked or model in hops or model in case:
            continue
        if model is Firm:
            firm_q = _firm_ids_q("id")
        elif firm_fks := _fks_to(model, Firm):
            firm_q = _firm_ids_q(firm_fks[0].attname)
            firm_level[model] = firm_fks[0]
        else:
            continue
        sources.append(HistorySource(model, hm, firm_q=firm_q, order=30))
    # And one foreign key further (a return's versions, a template's versions).
    placed = {s.model for s in sources}
    for hm in _all_history_models():
        model = hm.instance_type
        if model in placed:
            continue
        for parent, parent_fk in firm_level.items():
            if via := _fks_to(model, parent):
                sources.append(
                    HistorySource(
                        model, hm, firm_q=_of_firm_parent(via, parent, parent_fk), order=40
                    )
                )
                break
    return tuple(sorted(sources, key=lambda s: (s.order, s.key)))


def _of_firm_parent(
    via: list[ModelField], parent: type[models.Model], parent_fk: ModelField
) -> FirmsQ:
    def firm_q(ids: list[int]) -> Q:
        parents = parent._default_manager.filter(**{f"{parent_fk.attname}__in": ids}).values("pk")
        return _any_of(via, parents)

    return firm_q


def complaint_sources() -> list[HistorySource]:
    return [s for s in history_sources() if s.complaint_q is not None]
