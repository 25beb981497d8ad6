"""The firm's root-cause taxonomy and the causes recorded on each complaint (DISP 1.3.3R)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from common.audit import Actor, delete_audited, history_user, save_audited
from common.errors import NotFound, ValidationFailed
from common.locking import lock_pk
from complaints import services as complaint_services
from complaints.models import Firm

from ..errors import RemediationError as E
from ..models import ComplaintRootCause, RootCause
from ..selectors import descendant_ids
from ._base import invalid, save_named


def _root_cause_parent(firm_id: int, parent_id: int | None) -> RootCause | None:
    if parent_id is None:
        return None
    parent = RootCause.objects.filter(pk=parent_id, firm_id=firm_id).first()
    if parent is None:
        invalid("The parent is not in this firm's taxonomy.", {"parent": ["Unknown."]})
    return parent


_NAME_TAKEN = ("That root cause already exists at this level.", "Already exists under this parent.")


def root_cause_create(
    *,
    firm: Firm,
    actor: Actor,
    name: str,
    parent_id: int | None = None,
    description: str = "",
) -> RootCause:
    if not name.strip():
        invalid("A root cause needs a name.", {"name": ["Required."]})
    with transaction.atomic():
        node = RootCause(
            firm=firm,
            parent=_root_cause_parent(firm.pk, parent_id),
            name=name.strip(),
            description=description.strip(),
        )
        save_named(node, actor=actor, reason="root_cause.create", taken=_NAME_TAKEN)
    return node


def root_cause_update(
    *,
    root_cause_id: int,
    actor: Actor,
    name: str | None = None,
    description: str | None = None,
    active: bool | None = None,
    parent_id: int | None | bool = False,
) -> RootCause:
    """Rename, describe, move (``parent_id``; None makes it top-level) or (de)activate."""
    with transaction.atomic():
        node = lock_pk(RootCause, root_cause_id, code=E.NOT_FOUND, what="Root cause")
        fields: list[str] = []
        if name is not None:
            if not name.strip():
                invalid("A root cause needs a name.", {"name": ["Required."]})
            node.name = name.strip()
            fields.append("name")
        if description is not None:
            node.description = description.strip()
            fields.append("description")
        if active is not None:
            node.active = active
            fields.append("active")
        if parent_id is not False:
            assert parent_id is None or isinstance(parent_id, int)
            if parent_id is not None and parent_id in descendant_ids(node):
                raise ValidationFailed(
                    E.ROOT_CAUSE_CYCLE,
                    "A root cause cannot sit under itself or one of its own children.",
                    fields={"parent": ["Would create a loop."]},
                )
            node.parent = _root_cause_parent(node.firm_id, parent_id)
            fields.append("parent")
        save_named(node, actor=actor, reason="root_cause.update", taken=_NAME_TAKEN, fields=fields)
    return node


def complaint_root_cause_assign(
    *, complaint_id: int, root_cause_id: int, actor: Actor, now: datetime, note: str = ""
) -> ComplaintRootCause:
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        cause = RootCause.objects.filter(pk=root_cause_id, firm_id=complaint.firm_id).first()
        if cause is None:
            invalid("That root cause is not in this firm's taxonomy.", {"root_cause": ["?"]})
        if not cause.active:
            raise ValidationFailed(
                E.ROOT_CAUSE_INACTIVE,
                f"'{cause.name}' is no longer in use: choose a current root cause.",
                fields={"root_cause": ["Inactive."]},
            )
        if ComplaintRootCause.objects.filter(complaint=complaint, root_cause=cause).exists():
            raise ValidationFailed(
                E.DUPLICATE,
                f"'{cause.name}' is already recorded on this complaint.",
                fields={"root_cause": ["Already assigned."]},
            )
        link = ComplaintRootCause(
            complaint=complaint,
            root_cause=cause,
            note=note.strip(),
            assigned_at=now,
            assigned_by=history_user(actor),
        )
        save_audited(link, actor=actor, reason="root_cause.assign")
    return link


def complaint_root_cause_remove(
    *, complaint_id: int, root_cause_id: int, actor: Actor, now: datetime
) -> None:
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        link = ComplaintRootCause.objects.filter(
            complaint=complaint, root_cause_id=root_cause_id
        ).first()
        if link is None:
            raise NotFound(E.NOT_FOUND, "That root cause is not recorded on this complaint.")
        delete_audited(link, actor=actor, reason="root_cause.remove")
