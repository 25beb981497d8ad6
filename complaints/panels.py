"""Panels on the complaint page: the letters panel, and those the apps above add.

The one registry kept on purpose: remediation, the FOS tracker and the audit review sit above
the complaint page and add to it, so they register a panel in their ``AppConfig.ready()``; the
letters panel sits below and is listed here. The page renders every panel in ``order``. A panel's
``context`` callable gets ``(request, complaint)`` and returns the template context, or None to
hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from letters.views import complaint_panel_context as letters_panel_context

from .dpa_panel import panel_context as data_protection_panel_context


@dataclass(frozen=True)
class ComplaintPanel:
    key: str
    title: str
    template: str
    order: int
    context: Callable[[Any, Any], dict | None]


LETTERS_PANEL = ComplaintPanel(
    key="letters",
    title="Letters",
    template="letters/panel.html",
    order=30,
    context=letters_panel_context,
)
# DPA 2018 s.164A complaints and subject access requests, with their own clocks.
DATA_PROTECTION_PANEL = ComplaintPanel(
    key="data-protection",
    title="Data protection",
    template="complaints/_data_protection_panel.html",
    order=35,
    context=data_protection_panel_context,
)
_PANELS: dict[str, ComplaintPanel] = {
    LETTERS_PANEL.key: LETTERS_PANEL,
    DATA_PROTECTION_PANEL.key: DATA_PROTECTION_PANEL,
}


def register_complaint_panel(panel: ComplaintPanel) -> None:
    _PANELS[panel.key] = panel


def complaint_panels(request, complaint) -> list[tuple[ComplaintPanel, dict]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, complaint)
        if ctx is not None:
            rendered.append((panel, ctx))
    return rendered
