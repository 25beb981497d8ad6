"""API input serializers of the complaint lifecycle actions (acknowledge, respond, forward, close
…): each validates the body of one POST action, whose field names mirror the service's keyword
arguments (complaints.actions binds the two)."""

from __future__ import annotations

from rest_framework import serializers

from .choices import DeliveryMethod, ForwardPart, Outcome

DECISION_CHOICES = [(o, Outcome(o).label) for o in Outcome.decisions()]


class ActionInputSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you last read; a different current version is a 409 "
        "stale_version. The If-Match header (ETag from GET) does the same.",
    )


def _sent_at() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        required=False, help_text="When it was sent (ISO 8601). Defaults to now."
    )


def _method() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)


class AcknowledgeSerializer(ActionInputSerializer):
    sent_at = _sent_at()
    method = _method()


class ResolveSummarySerializer(ActionInputSerializer):
    outcome = serializers.ChoiceField(choices=DECISION_CHOICES)
    sent_at = _sent_at()
    accepted_at = serializers.DateTimeField(
        required=False, help_text="When the complainant accepted (DISP 1.5.2AR)."
    )
    consents_to_waive = serializers.BooleanField(required=False)
    method = _method()
    summary = serializers.CharField(required=False, allow_blank=True)


class HoldingResponseSerializer(ActionInputSerializer):
    reasons = serializers.CharField(help_text="Why a final response cannot be made yet.")
    expected_final_response_on = serializers.DateField(required=False, allow_null=True)
    sent_at = _sent_at()
    method = _method()


class ProgressUpdateSerializer(ActionInputSerializer):
    progress = serializers.CharField(
        help_text="What has happened on the complaint so far, and what happens next."
    )
    expected_final_response_on = serializers.DateField(required=False, allow_null=True)
    sent_at = _sent_at()
    method = _method()


class FinalResponseSerializer(ActionInputSerializer):
    outcome = serializers.ChoiceField(choices=DECISION_CHOICES)
    sent_at = _sent_at()
    six_month_wording = serializers.BooleanField(
        required=False, help_text="The letter carries the DISP 2.8.3G six-month wording."
    )
    consents_to_waive = serializers.BooleanField(required=False)
    method = _method()
    summary = serializers.CharField(required=False, allow_blank=True)


class RejectTimeBarredSerializer(ActionInputSerializer):
    sent_at = _sent_at()
    method = _method()
    summary = serializers.CharField(required=False, allow_blank=True)


class ForwardSerializer(ActionInputSerializer):
    to_firm = serializers.CharField(max_length=200)
    to_contact = serializers.CharField()
    reason = serializers.CharField()
    part = serializers.ChoiceField(choices=ForwardPart.choices, required=False)
    sent_at = _sent_at()
    method = _method()


class WithdrawSerializer(ActionInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True)
    withdrawn_at = serializers.DateTimeField(required=False)


class CloseSerializer(ActionInputSerializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required while accepted redress is unpaid or an offer is still open "
        "(DISP 1.4.1R(5)); kept as a note.",
    )


class RecordEventDateSerializer(ActionInputSerializer):
    event_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The date of the act or omission complained of (CP26/4 para 3.24).",
    )
    event_date_unknown = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True when the date is not known (then leave event_date out).",
    )


class ReopenSerializer(ActionInputSerializer):
    reason = serializers.CharField()


class AssignSerializer(ActionInputSerializer):
    owner_id = serializers.IntegerField(
        allow_null=True, help_text="A member of the complaint's firm; null unassigns."
    )
