"""The firm's complaints mailbox through the API: a firm administrator reads and sets it (the
password is write-only and stored encrypted) and tests the connection."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from common.errors import ValidationFailed
from common.inputs import JSONParser
from complaints.access import HasFirmPerm, Perm
from complaints.models import Firm

from . import services
from .choices import Security
from .errors import MailErrorCode
from .models import Mailbox


class MailboxSerializer(serializers.ModelSerializer):
    configured = serializers.SerializerMethodField(
        help_text="Whether the firm has set up its mailbox (false: the other fields are blank)."
    )
    has_password = serializers.SerializerMethodField(help_text="Whether a password is stored.")

    class Meta:
        model = Mailbox
        fields = [
            "configured",
            "address",
            "host",
            "port",
            "security",
            "username",
            "folder",
            "enabled",
            "has_password",
            "last_polled_at",
            "last_error",
        ]
        read_only_fields = fields

    def get_configured(self, mailbox: Mailbox) -> bool:
        return mailbox.pk is not None

    def get_has_password(self, mailbox: Mailbox) -> bool:
        return bool(mailbox.password_encrypted)


class MailboxInputSerializer(serializers.Serializer):
    address = serializers.EmailField()
    host = serializers.CharField(max_length=255)
    port = serializers.IntegerField(min_value=1, max_value=65535)
    security = serializers.ChoiceField(choices=Security.choices)
    username = serializers.CharField(max_length=255)
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Stored encrypted, never returned. Omit or leave blank to keep the stored one.",
    )
    folder = serializers.CharField(max_length=255, default="INBOX")
    enabled = serializers.BooleanField(default=True)


def _mailbox(firm: Firm) -> Mailbox:
    mailbox = Mailbox.objects.filter(firm=firm).first()
    if mailbox is None:
        raise ValidationFailed(
            MailErrorCode.NO_MAILBOX,
            "The firm's complaints mailbox is not set up.",
            fields={"host": ["Set up the mailbox first."]},
        )
    return mailbox


class FirmMailboxView(APIView):
    """A firm administrator reads or sets the firm's complaints mailbox."""

    permission_classes = [HasFirmPerm]
    required_perm = {"GET": Perm.MANAGE_FIRM, "PUT": Perm.MANAGE_FIRM}
    scoped_model = Firm
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [JSONParser]
    scoped_object: Firm

    @extend_schema(
        summary="The firm's complaints mailbox (IMAP)",
        description="Without settings `configured` is false and the other fields are blank.",
        responses={200: MailboxSerializer, **error_responses(403, 404)},
    )
    def get(self, request, firm_id: int):
        mailbox = Mailbox.objects.filter(firm=self.scoped_object).first()
        return Response(MailboxSerializer(mailbox or Mailbox(firm=self.scoped_object)).data)

    @extend_schema(
        summary="Set the firm's complaints mailbox",
        description="Creates or replaces the settings. The password is required the first "
        "time, then kept when omitted; it is stored encrypted (Fernet) and never returned. "
        "A new server, username or folder starts reading it afresh (nothing is imported "
        "twice: Message-IDs are remembered). A missing field is a 400 naming it.",
        request=MailboxInputSerializer,
        responses={200: MailboxSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request, firm_id: int):
        data = MailboxInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mailbox = services.mailbox_save(
            firm=self.scoped_object,
            actor=request.user,
            data=services.MailboxData(**data.validated_data),
        )
        return Response(MailboxSerializer(mailbox).data)


class FirmMailboxTestView(APIView):
    """Log in to the stored mailbox and open its folder."""

    permission_classes = [HasFirmPerm]
    required_perm = {"POST": Perm.MANAGE_FIRM}
    scoped_model = Firm
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [JSONParser]
    scoped_object: Firm

    @extend_schema(
        summary="Test the connection to the firm's complaints mailbox",
        description="A 400 `mailbox_connection_failed` naming `host` carries the server's "
        "reason (a refused password, an unknown folder, no answer); a 400 "
        "`mailbox_not_set_up` when there are no settings to test.",
        request=None,
        responses={
            200: inline_serializer("MailboxTestResult", {"detail": serializers.CharField()}),
            **error_responses(400, 403, 404),
        },
    )
    def post(self, request, firm_id: int):
        detail = services.mailbox_test(mailbox=_mailbox(self.scoped_object))
        return Response({"detail": detail})
