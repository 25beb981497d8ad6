"""A complainant's reasonable adjustments, from one of their complaints (FG21/1; Equality Act
2010 s.20): read by any member, changed by a handler or supervisor (PATCH: only the fields
given change)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api import error_responses
from common.api_actions import ApiAction, action_post
from complaints import services
from complaints.access import Perm
from complaints.choices import ContactChannel, LetterLanguage
from complaints.models import Complainant, Complaint

from .base import ID_PARAM, ComplaintApiView


class AdjustmentsSerializer(serializers.ModelSerializer):
    summary = serializers.ListField(
        child=serializers.CharField(), source="adjustments", read_only=True
    )

    class Meta:
        model = Complainant
        fields = [
            "preferred_channel",
            "contact_times",
            "large_print",
            "accessible_pdf",
            "plain_text_email",
            "letter_language",
            "summary",
        ]


class AdjustmentsUpdateSerializer(serializers.Serializer):
    preferred_channel = serializers.ChoiceField(
        choices=[("", "No preference"), *ContactChannel.choices],
        required=False,
        help_text="post, email (needs an e-mail address on file), phone (needs a number), or "
        "empty for no preference. Letters default to it.",
    )
    contact_times = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Shown to handlers."
    )
    large_print = serializers.BooleanField(required=False)
    accessible_pdf = serializers.BooleanField(required=False)
    plain_text_email = serializers.BooleanField(required=False)
    letter_language = serializers.ChoiceField(
        choices=LetterLanguage.choices,
        required=False,
        help_text="cy only where the firm offers letters in Welsh (else 400 naming this field).",
    )


def _arguments(call, body: dict) -> dict:
    current = services.Adjustments.of(call.obj.complainant)
    return {"adjustments": services.Adjustments(**{**current.__dict__, **body})}


class ComplaintAdjustments(ComplaintApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "PATCH": Perm.HANDLE_COMPLAINTS}
    scoped_model = Complaint.objects.select_related("firm", "complainant")

    @extend_schema(
        summary="The complainant's reasonable adjustments",
        parameters=[ID_PARAM],
        responses={200: AdjustmentsSerializer, **error_responses(401, 403, 404)},
        tags=["complaints"],
    )
    def get(self, request, pk: str):
        return Response(AdjustmentsSerializer(self.scoped_object.complainant).data)

    patch = action_post(
        ApiAction(
            "adjustments",
            services.complainant_set_adjustments,
            "Change the complainant's reasonable adjustments",
            input=AdjustmentsUpdateSerializer,
            description="FG21/1; Equality Act 2010 s.20. Only the fields given change. They "
            "apply to every complaint of the complainant: letters default to the preferred "
            "channel, are laid out in large print (16pt), declared PDF/UA-1, e-mailed as plain "
            "text only, or drafted from the Welsh templates (where the firm offers Welsh). Bad "
            "input is a 400 `validation_error` naming the field; another firm's complaint is a "
            "404; a role without handle_complaints a 403. Kept in the complainant's history.",
            errors=(400, 403, 404),
            arguments=_arguments,
            examples=[
                OpenApiExample(
                    "Large print by post, mornings",
                    value={
                        "preferred_channel": "post",
                        "contact_times": "Weekday mornings before 11:00",
                        "large_print": True,
                    },
                    request_only=True,
                )
            ],
        ),
        id_keyword="complaint_id",
        response=AdjustmentsSerializer,
        render=lambda _, person: AdjustmentsSerializer(person).data,
        parameters=[ID_PARAM],
        tags=["complaints"],
    )
