"""Panels other capabilities add to the complaint page (letters, redress, FOS referral, ...).

An app registers a panel in its ``AppConfig.ready()``; the complaint page renders every panel in
``order``. A panel's ``context`` callable gets ``(request, complaint)`` and returns the template
context, or None to hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ComplaintPanel:
    key: str
    title: str
    template: str
    order: int
    context: Callable[[Any, Any], dict | None]


_PANELS: dict[str, ComplaintPanel] = {}


def register_complaint_panel(panel: ComplaintPanel) -> None:
    _PANELS[panel.key] = panel


def complaint_panels(request, complaint) -> list[tuple[ComplaintPanel, dict]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, complaint)
        if ctx is not None:
            rendered.append((panel, ctx))
    return rendered
