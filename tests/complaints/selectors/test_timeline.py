"""The timeline's readable audit reasons."""

from __future__ import annotations

import pytest

from complaints.selectors import timeline


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("complaint.acknowledge", "Acknowledged the complaint"),
        ("complaint.resolve_summary", "Resolved by summary resolution communication"),
        (
            "complaint.recompute_deadlines: bank holiday 2026-06-15 added",
            "Recomputed the deadlines: bank holiday 2026-06-15 added",
        ),
        ("letters.approve", "Letters approve"),
        (None, "Changed the complaint"),
    ],
)
def test_readable_reason(reason, text):
    assert timeline.readable_reason(reason) == text
