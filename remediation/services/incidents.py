"""Incidents: record one, link its complaints, and act on them in bulk.

Bulk actions call the complaints services one complaint at a time, each in its own transaction,
so every complaint's change is audited where it happens and one refusal leaves the rest alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from common.audit import Actor, delete_audited, history_user, save_audited
from common.errors import ConflictError, DomainError, NotFound, ValidationFailed, required
from common.locking import lock_pk
from complaints import services as complaint_services
from complaints.choices import DeliveryMethod
from complaints.models import Complaint, Firm

from ..errors import RemediationError as E
from ..models import BulkAction, BulkRun, Incident, IncidentLink
from ._base import FieldErrors, active_member, aware, check_errors, invalid, save_named

log = logging.getLogger(__name__)


def _validate_incident(
    name: str, started_at: datetime | None, ended_at: datetime | None, now: datetime
) -> None:
    errors: FieldErrors = required(name=name, started_at=started_at)
    aware(started_at, "started_at", now, errors)
    if ended_at is not None:
        if ended_at.tzinfo is None:
            errors["ended_at"] = ["Must include a time zone."]
        elif started_at is not None and started_at.tzinfo and ended_at < started_at:
            errors["ended_at"] = ["Cannot be before the start."]
    check_errors(errors, "The incident could not be saved")


_NAME_TAKEN = ("An incident called '{name}' already exists.", "Already used.")


def _lock_incident(incident_id: int) -> Incident:
    return lock_pk(Incident, incident_id, code=E.NOT_FOUND, what="Incident")


def incident_create(
    *,
    firm: Firm,
    actor: Actor,
    now: datetime,
    name: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    description: str = "",
) -> Incident:
    _validate_incident(name, started_at, ended_at, now)
    incident = Incident(
        firm=firm,
        name=name.strip(),
        description=description.strip(),
        started_at=started_at,
        ended_at=ended_at,
        created_by=history_user(actor),
        created_at=now,
    )
    save_named(incident, actor=actor, reason="incident.create", taken=_NAME_TAKEN)
    return incident


def incident_update(
    *,
    incident_id: int,
    actor: Actor,
    now: datetime,
    name: str,
    started_at: datetime,
    ended_at: datetime | None,
    description: str = "",
) -> Incident:
    _validate_incident(name, started_at, ended_at, now)
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        incident.name = name.strip()
        incident.description = description.strip()
        incident.started_at = started_at
        incident.ended_at = ended_at
        save_named(
            incident,
            actor=actor,
            reason="incident.update",
            taken=_NAME_TAKEN,
            fields=["name", "description", "started_at", "ended_at"],
        )
    return incident


def incident_delete(*, incident_id: int, actor: Actor) -> None:
    """Only an incident recorded by mistake (nothing linked, no actions) can be deleted."""
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        if incident.links.exists() or incident.actions.exists():
            raise ConflictError(
                E.INCIDENT_IN_USE,
                "Complaints or actions are linked to this incident: unlink them first.",
            )
        delete_audited(incident, actor=actor, reason="incident.delete")


@dataclass(frozen=True)
class LinkResult:
    linked: int
    already_linked: int


def incident_link(
    *, incident_id: int, complaint_ids: Iterable[int], actor: Actor, now: datetime
) -> LinkResult:
    """Link complaints (individually or a whole search result) to the incident."""
    wanted = set(complaint_ids)
    with transaction.atomic():
        # Locking the incident serialises concurrent link requests for it.
        incident = _lock_incident(incident_id)
        found = set(
            Complaint.objects.filter(pk__in=wanted, firm_id=incident.firm_id).values_list(
                "pk", flat=True
            )
        )
        if missing := wanted - found:
            raise ValidationFailed(
                E.OTHER_FIRM,
                f"{len(missing)} complaint(s) are not this firm's and were not linked.",
                fields={"complaint_ids": [f"Unknown: {', '.join(map(str, sorted(missing)))}"]},
            )
        existing = set(
            IncidentLink.objects.filter(incident=incident, complaint_id__in=found).values_list(
                "complaint_id", flat=True
            )
        )
        user = history_user(actor)
        new = [
            IncidentLink(incident=incident, complaint_id=pk, linked_at=now, linked_by=user)
            for pk in sorted(found - existing)
        ]
        bulk_create_with_history(
            new, IncidentLink, default_user=user, default_change_reason="incident.link"
        )
    return LinkResult(linked=len(new), already_linked=len(existing))


def incident_unlink(
    *, incident_id: int, complaint_ids: Iterable[int], actor: Actor, now: datetime
) -> int:
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        links = list(IncidentLink.objects.filter(incident=incident, complaint_id__in=complaint_ids))
        for link in links:
            delete_audited(link, actor=actor, reason="incident.unlink")
    return len(links)


def _incident_targets(
    incident: Incident, complaint_ids: Iterable[int] | None
) -> list[tuple[int, str]]:
    qs = Complaint.objects.filter(incident_links__incident=incident)
    if complaint_ids is not None:
        qs = qs.filter(pk__in=list(complaint_ids))
    return list(qs.order_by("received_at", "pk").values_list("pk", "reference"))


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(E.NOT_FOUND, f"Incident {incident_id} not found.")
    return incident


def _run_bulk(
    *,
    incident_id: int,
    action: str,
    actor: Actor,
    now: datetime,
    complaint_ids: Iterable[int] | None,
    parameters: dict[str, Any],
    each: Callable[[int], object],
) -> BulkRun:
    incident = _incident(incident_id)
    targets = _incident_targets(incident, complaint_ids)
    run = BulkRun(
        incident=incident,
        action=action,
        parameters=parameters,
        actor=history_user(actor),
        started_at=now,
    )
    save_audited(run, actor=actor, reason=f"incident.bulk_{action}.start")
    results = []
    for pk, reference in targets:
        # One complaint at a time, each in its own transaction (a savepoint when the caller is
        # already in one): a refusal on one is reported and leaves the others untouched.
        try:
            with transaction.atomic():
                each(pk)
        except DomainError as exc:
            results.append(
                {"complaint_id": pk, "reference": reference, "ok": False, "reason": exc.message}
            )
        except Exception as exc:
            log.exception("Bulk %s failed on complaint %s", action, pk)
            results.append(
                {
                    "complaint_id": pk,
                    "reference": reference,
                    "ok": False,
                    "reason": f"Unexpected error: {exc.__class__.__name__}",
                }
            )
        else:
            results.append({"complaint_id": pk, "reference": reference, "ok": True, "reason": ""})
    run.results = results
    run.succeeded = sum(1 for r in results if r["ok"])
    run.failed = len(results) - run.succeeded
    run.finished_at = now
    save_audited(
        run,
        actor=actor,
        reason=f"incident.bulk_{action}.finish",
        update_fields=["results", "succeeded", "failed", "finished_at"],
    )
    return run


def incident_bulk_assign(
    *,
    incident_id: int,
    owner_id: int,
    actor: Actor,
    now: datetime,
    complaint_ids: Iterable[int] | None = None,
) -> BulkRun:
    """Assign the incident's complaints (all, or those chosen) to one handler, each through
    ``complaints.services.complaint_assign`` (audited on the complaint)."""
    owner = active_member(_incident(incident_id).firm_id, owner_id)
    return _run_bulk(
        incident_id=incident_id,
        action=BulkAction.ASSIGN,
        actor=actor,
        now=now,
        complaint_ids=complaint_ids,
        parameters={"owner_id": owner.pk, "owner": owner.get_full_name() or owner.username},
        each=lambda pk: complaint_services.complaint_assign(
            complaint_id=pk, actor=actor, now=now, owner_id=owner.pk
        ),
    )


def _letter_channel(complaint_id: int) -> str:
    complaint = Complaint.objects.select_related("complainant").get(pk=complaint_id)
    return complaint.complainant.letter_channel


def incident_bulk_acknowledge(
    *,
    incident_id: int,
    actor: Actor,
    now: datetime,
    complaint_ids: Iterable[int] | None = None,
    method: str = "",
) -> BulkRun:
    """DISP 1.6.1R(1): acknowledge each complaint with the standard letter through
    ``complaints.services.complaint_acknowledge``; one already acknowledged is reported.
    ``method`` blank (the default): each complainant's own letter channel, which is post for a
    complainant with no e-mail address."""
    if method and method not in DeliveryMethod.values:
        invalid("Unknown delivery method.", {"method": [f"One of {DeliveryMethod.values}."]})
    return _run_bulk(
        incident_id=incident_id,
        action=BulkAction.ACKNOWLEDGE,
        actor=actor,
        now=now,
        complaint_ids=complaint_ids,
        parameters={"method": method},
        each=lambda pk: complaint_services.complaint_acknowledge(
            complaint_id=pk, actor=actor, now=now, method=method or _letter_channel(pk)
        ),
    )
