"""Reading evidence: a complaint's list (one query), and its files for the FOS case file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .choices import State
from .models import Evidence
from .storage import evidence_storage


def complaint_evidence(complaint_id: int) -> QuerySet[Evidence]:
    """Every item on the complaint, oldest first, with who added and removed it."""
    return Evidence.objects.filter(complaint_id=complaint_id).select_related(
        "uploaded_by", "removed_by"
    )


@dataclass(frozen=True)
class CaseFileItem:
    """One item as the FOS case file lists it; ``open`` streams a file's stored bytes."""

    evidence: Evidence

    @property
    def is_link(self) -> bool:
        return self.evidence.is_link

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        with evidence_storage.open(self.evidence.file.name, "rb") as fh:
            yield from fh.chunks(size)


def case_file_items(complaint_id: int) -> list[CaseFileItem]:
    """The evidence on file (not removed from the case), files and links alike."""
    rows = complaint_evidence(complaint_id).filter(state=State.ON_FILE)
    return [CaseFileItem(row) for row in rows]
