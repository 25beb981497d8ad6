"""The complaint table's B-tree indexes, each kept for the reads that use it (issue 18).

Every index is written on each insert (a register import writes 10,000 complaints at a time), so
an index stays only while a read needs it; ``docs/performance.md`` ("Stop 30: regidx") has the
plans, and ``tests/complaints/test_read_indexes.py`` checks the reads still use one. The firm's
own foreign-key index is not here: ``uniq_complaint_reference`` and every index below lead with
the firm, which serves the firm-scoped reads and the check when a firm is deleted. The trigram
and hash indexes of the queue's search are made by migrations 0007 and 0018.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..choices import Status

COMPLAINT_INDEXES = [
    # The deadline watch's sources (notifications.sources.disp): firm, status, then the date.
    # Its SRC source (early states, a complaint, the window closing today) reads
    # complaint_src_queue_firm_idx below, whose condition is that source's.
    models.Index(fields=["firm", "status", "final_response_due"]),
    models.Index(fields=["firm", "status", "expected_final_response_on"]),
    models.Index(fields=["firm", "status", "extended_final_response_due"]),
    # The SUP 16.34 return's periods (reporting.metrics) and the register's duplicate check.
    models.Index(fields=["firm", "received_at"]),
    models.Index(fields=["firm", "outcome_at"]),
    models.Index(fields=["firm", "owner", "status"]),
    models.Index(fields=["firm", "complainant", "received_at"]),
    # A register import's duplicates by the firm's own reference (intake.services.batches,
    # ``in_register``: up to a file's references at once): only complaints that have one.
    # Before, the read filtered every complaint of the firm: 68-108 ms at 100,000 of them,
    # in the preview and again in the commit (issue 18).
    models.Index(
        fields=["firm", "external_reference"],
        condition=~Q(external_reference=""),
        name="complaint_external_ref_idx",
    ),
    # Deleting a complaint clears the flag on its likely duplicates; only flagged rows need it.
    models.Index(
        fields=["likely_duplicate_of"],
        condition=Q(likely_duplicate_of__isnull=False),
        name="complaint_likely_duplicate_idx",
    ),
    # The work queue in deadline order, "mine" and team-wide, and its SRC stream.
    models.Index(
        fields=["firm", "owner", "response_deadline", "received_at", "id"],
        condition=Q(status__in=Status.open_states()),
        name="complaint_queue_owner_idx",
    ),
    models.Index(
        fields=["firm", "response_deadline", "received_at", "id"],
        condition=Q(status__in=Status.open_states()),
        name="complaint_queue_firm_idx",
    ),
    *(
        models.Index(
            fields=["firm", *by, "src_deadline", "received_at", "id"],
            condition=Q(status__in=Status.early_states(), is_complaint=True),
            name=f"complaint_src_queue_{name}_idx",
        )
        for name, by in (("owner", ["owner"]), ("firm", []))
    ),
]
