"""What the complaint page and the API add to each lifecycle action of ``guards.ACTIONS``: the
form a handler fills in, the serializer an API client posts, and the service both call.

Everything else about an action (its rule, label, permission, confirmation wording, history
reason, the letter it records, its API path and documentation) is on ``guards.ACTIONS``, which
sits below the pages, the API and the services and so cannot name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from rest_framework import serializers as drf

from . import action_inputs as s
from . import services
from .forms import (
    AcknowledgeForm,
    CloseForm,
    FinalResponseForm,
    ForwardForm,
    HoldingResponseForm,
    ProgressUpdateForm,
    RecordEventDateForm,
    RejectTimeBarredForm,
    ReopenForm,
    ResolveSummaryForm,
    StartInvestigationForm,
    WithdrawForm,
)
from .guards import ACTIONS, ActionSpec


@dataclass(frozen=True)
class ActionInterface:
    spec: ActionSpec
    form: type[forms.Form]
    serializer: type[drf.Serializer[Any]]
    service: Callable[..., Any]


def _bind(
    name: str,
    form: type[forms.Form],
    serializer: type[drf.Serializer[Any]],
    service: Callable[..., Any],
) -> tuple[str, ActionInterface]:
    return name, ActionInterface(ACTIONS[name], form, serializer, service)


INTERFACES: dict[str, ActionInterface] = dict(
    (
        _bind(
            "acknowledge", AcknowledgeForm, s.AcknowledgeSerializer, services.complaint_acknowledge
        ),
        _bind(
            "start_investigation",
            StartInvestigationForm,
            s.ActionInputSerializer,
            services.complaint_start_investigation,
        ),
        _bind(
            "record_event_date",
            RecordEventDateForm,
            s.RecordEventDateSerializer,
            services.complaint_record_event_date,
        ),
        _bind(
            "resolve_summary",
            ResolveSummaryForm,
            s.ResolveSummarySerializer,
            services.complaint_resolve_summary,
        ),
        _bind(
            "send_holding_response",
            HoldingResponseForm,
            s.HoldingResponseSerializer,
            services.complaint_send_holding_response,
        ),
        _bind(
            "send_progress_update",
            ProgressUpdateForm,
            s.ProgressUpdateSerializer,
            services.complaint_send_progress_update,
        ),
        _bind(
            "send_final_response",
            FinalResponseForm,
            s.FinalResponseSerializer,
            services.complaint_send_final_response,
        ),
        _bind(
            "reject_time_barred",
            RejectTimeBarredForm,
            s.RejectTimeBarredSerializer,
            services.complaint_reject_time_barred,
        ),
        _bind("forward", ForwardForm, s.ForwardSerializer, services.complaint_forward),
        _bind("withdraw", WithdrawForm, s.WithdrawSerializer, services.complaint_withdraw),
        _bind("close", CloseForm, s.CloseSerializer, services.complaint_close),
        _bind("reopen", ReopenForm, s.ReopenSerializer, services.complaint_reopen),
    )
)
assert INTERFACES.keys() == ACTIONS.keys(), "every lifecycle action needs a form and an API"
