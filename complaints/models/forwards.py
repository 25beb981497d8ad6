"""Parts of a complaint forwarded to another firm while the firm keeps the rest (DISP 1.7)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import london_date

from ..disp import clock
from .communications import Communication
from .complaints import Complaint


class ForwardedPart(models.Model):
    """DISP 1.7.1R: "the relevant part" of a complaint forwarded, promptly and in writing, to the
    firm solely or jointly responsible for it, the complainant told in a final response on that
    part (the notice). The rest stays a complaint of this firm, open with its DISP 1.6 clock, and
    its own final response later sets the complaint's six-month date; this record keeps the
    forwarded part's. A whole forward is the complaint's own (``Complaint.forward``).

    When it was sent, by whom, why (the notice's summary: which part, and why the other firm is
    responsible) and whether it carried the six-month wording are the notice's own record."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="forwarded_parts"
    )
    notice = models.OneToOneField(
        Communication, on_delete=models.RESTRICT, related_name="forwarded_part"
    )
    to_firm = models.CharField(max_length=200)
    to_contact = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Part of {self.complaint.reference} forwarded to {self.to_firm}"

    @property
    def sent_at(self) -> datetime:
        return self.notice.sent_at

    @property
    def sent_by(self) -> object:
        return self.notice.sent_by

    @property
    def reason(self) -> str:
        return self.notice.summary

    @property
    def six_month_wording_included(self) -> bool:
        return self.notice.includes_six_month_wording

    @property
    def fos_six_month_deadline(self) -> date | None:
        """DISP 2.8.2R(1): six months from the date the notice on this part was sent, only if it
        told the complainant about the limit (DISP 2.8.3G)."""
        return clock.fos_six_month_deadline(
            london_date(self.sent_at),
            included_six_month_wording=self.six_month_wording_included,
        )
