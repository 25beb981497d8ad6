"""The firm's sign-in settings through the API: whether two-factor sign-in is required (a firm
administrator changes it) and which identity provider, if any, members may sign in through."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from common.api_actions import ApiAction, action_post
from common.inputs import JSONParser
from complaints import services as complaint_services
from complaints.access import HasFirmPerm, Perm
from complaints.models import Firm


class SignInSettingsSerializer(serializers.Serializer):
    require_two_factor = serializers.BooleanField(
        help_text="Every member signs in with a code from an authenticator app (or a recovery "
        "code) after the password; a member without one is sent to set it up. API tokens are "
        "machine credentials and are not asked for a code."
    )
    identity_provider = serializers.SerializerMethodField(
        help_text="The name of the firm's OpenID Connect identity provider, or null."
    )

    def get_identity_provider(self, firm) -> str | None:
        return firm.identity_provider.name if firm.identity_provider_id else None


class SignInSettingsUpdateSerializer(serializers.Serializer):
    require_two_factor = serializers.BooleanField()


class FirmSignInSettingsView(APIView):
    """Any member reads the firm's sign-in settings; a firm administrator changes them."""

    permission_classes = [HasFirmPerm]
    required_perm = {"GET": Perm.VIEW_COMPLAINTS, "PATCH": Perm.MANAGE_FIRM}
    scoped_model = Firm.objects.select_related("identity_provider")
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [JSONParser]
    scoped_object: Firm  # put there by HasFirmPerm

    @extend_schema(
        summary="The firm's sign-in settings (two-factor, identity provider)",
        responses={200: SignInSettingsSerializer, **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        return Response(SignInSettingsSerializer(self.scoped_object).data)

    patch = action_post(
        ApiAction(
            "sign-in-settings",
            complaint_services.firm_set_require_two_factor,
            "Require (or stop requiring) two-factor sign-in of every member",
            input=SignInSettingsUpdateSerializer,
            description="`require_two_factor: true`: from the next request, a member signed in "
            "without an authenticator app reaches only the page setting one up, and API calls "
            "from such a session answer 403 `two_factor_required`. Only a firm administrator "
            "may change it (403 `permission_denied`); another firm is a 404; a value that is "
            "not a boolean is a 400 naming `require_two_factor`. Kept in the firm's history.",
            errors=(400, 403, 404),
            arguments=lambda call, body: {"require_two_factor": body["require_two_factor"]},
        ),
        id_keyword="firm_id",
        response=SignInSettingsSerializer,
        render=lambda _, firm: SignInSettingsSerializer(firm).data,
    )
