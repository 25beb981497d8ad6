from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import BlankChoices
from complaints.choices import ForwardPart, Outcome, UnknownEventDateWording

from . import content, delivery
from .choices import Delivery, LetterType
from .models import FosLeaflet, Letter


class CheckResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    # The metaclass takes declared fields off the class: this never shadows Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    rule = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True)


class EmailDeliverySerializer(serializers.Serializer):
    """A sent letter's e-mail: queued, sent, retrying or failed (with the reason)."""

    state = serializers.ChoiceField(choices=list(delivery.STATE_LABELS.items()))
    # The metaclass takes declared fields off the class: this never shadows Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    attempts = serializers.IntegerField(help_text="E-mail attempts made so far.")
    error = serializers.CharField(allow_blank=True, help_text="Why the last attempt failed.")
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    retryable = serializers.BooleanField(
        help_text="Not delivered yet: POST letters/{id}/retry-email/ tries again now."
    )


class LetterSerializer(BlankChoices):
    checks = CheckResultSerializer(source="check_results", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None)
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    sent_by = serializers.CharField(source="sent_by.username", default=None)
    template_version = serializers.IntegerField(source="template_version.number")
    template_is_system_default = serializers.SerializerMethodField()
    email_delivery = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "complaint",
            "letter_type",
            "status",
            "recipient",
            "representative",
            "template_version",
            "template_is_system_default",
            "companion",
            "outcome",
            "consents_to_waive",
            "reasons",
            "redress_summary",
            "expected_final_response_on",
            "other_firm_name",
            "other_firm_contact",
            "forward_part",
            "fos_available",
            "subject",
            "body_text",
            "checks",
            "includes_six_month_wording",
            "includes_fos_referral_right",
            "includes_waiver_consent",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "review_note",
            "language",
            "delivery",
            "recipient_email",
            "copy_email",
            "sent_at",
            "sent_by",
            "pdf_sha256",
            "communication",
            "fos_leaflet",
            "email_delivery",
        ]
        read_only_fields = fields

    def get_template_is_system_default(self, obj) -> bool:
        return obj.template_version.template.firm_id is None

    @extend_schema_field(EmailDeliverySerializer(allow_null=True))
    def get_email_delivery(self, obj) -> dict | None:
        """Null unless the letter was sent by e-mail."""
        state = delivery.email_delivery(obj)
        return EmailDeliverySerializer(state).data if state else None


class DraftCreateSerializer(serializers.Serializer):
    letter_type = serializers.ChoiceField(
        choices=[
            t
            for t in LetterType.values
            if t != LetterType.FORWARDING_COVER and t not in LetterType.data_protection_types()
        ]
    )
    outcome = serializers.ChoiceField(choices=Outcome.decisions(), required=False, default="")
    consents_to_waive = serializers.BooleanField(required=False, default=False)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    redress_summary = serializers.CharField(required=False, allow_blank=True, default="")
    expected_final_response_on = serializers.DateField(required=False, allow_null=True)
    other_firm_name = serializers.CharField(required=False, allow_blank=True, default="")
    other_firm_contact = serializers.CharField(required=False, allow_blank=True, default="")
    forward_part = serializers.ChoiceField(
        choices=ForwardPart.values, required=False, allow_blank=True, default=""
    )


class EditSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body_text = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SendSerializer(serializers.Serializer):
    delivery = serializers.ChoiceField(
        choices=Delivery.values,
        required=False,
        help_text="Default: the complainant's preferred channel (a reasonable adjustment), else "
        "email where there is an address and post where there is none.",
    )
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The complaint version you looked at."
    )


class PreviewSerializer(serializers.Serializer):
    html = serializers.CharField()
    checks = CheckResultSerializer(many=True)


class FosLeafletSerializer(BlankChoices):
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = FosLeaflet
        fields = [
            "id",
            "firm",
            "version",
            "label",
            "description",
            "file_name",
            "size",
            "sha256",
            "checked_on",
            "uploaded_by",
            "uploaded_at",
        ]


class FosLeafletUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The FOS's standard explanatory leaflet, as a PDF.")
    # The metaclass takes declared fields off the class: this never shadows Field.label.
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, help_text="How the FOS names this edition (a date or code)."
    )
    checked_on = serializers.DateField(
        help_text="When the firm checked that this is the FOS's current leaflet."
    )


class WordingChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    # The metaclass takes declared fields off the class: this never shadows Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    says = serializers.CharField(help_text="The sentence the standard letters then carry.")


class LetterSettingsSerializer(serializers.Serializer):
    """The firm's letter settings (CP26/4 para 3.24: what letters say about the Ombudsman when
    the handler records that the event date is unknown), with each choice's effect."""

    unknown_event_date_wording = serializers.ChoiceField(choices=UnknownEventDateWording.choices)
    unknown_event_date_wording_choices = serializers.SerializerMethodField()

    @extend_schema_field(WordingChoiceSerializer(many=True))
    def get_unknown_event_date_wording_choices(self, firm) -> list[dict]:
        return [
            {"value": value, "label": label, "says": content.UNKNOWN_EVENT_DATE_SAYS[value]}
            for value, label in UnknownEventDateWording.choices
        ]


class WelshSettingSerializer(serializers.Serializer):
    offers_welsh = serializers.BooleanField(
        help_text="True: complainants may choose letters in Welsh (the Welsh templates, which a "
        "Welsh speaker at the firm reviews before use)."
    )


class LetterSettingsUpdateSerializer(serializers.Serializer):
    unknown_event_date_wording = serializers.ChoiceField(
        choices=UnknownEventDateWording.choices,
        help_text="offer_fos: letters offer the Financial Ombudsman Service; fos_may_not: they "
        "say it may not be able to consider the complaint.",
    )
