"""The firm administrator's sign-in page: require two-factor sign-in of every member, see who
has set it up, and reset a member's authenticator (a lost phone). Each change goes through the
complaints firm services (permission-checked, kept in history)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django import forms
from django.shortcuts import redirect, render

from common.pageactions import ActionPage, PageAction, form_page, form_page_or_perform, perform
from complaints import services as complaint_services
from complaints.access import Perm, require_perm
from complaints.models import Membership

MANAGE = {"*": Perm.MANAGE_FIRM}


class RequireTwoFactorForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label="Require two-factor sign-in of every member",
        required=False,
        help_text="A member without an authenticator app is sent to set one up before any "
        "other page works. API tokens are machine credentials and are not affected.",
    )


def _page(request, firm, forms_, status):
    members = list(
        Membership.objects.filter(firm=firm)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    with_app = set(
        Authenticator.objects.filter(
            user_id__in=[m.user_id for m in members], type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    initial = {"require_two_factor": firm.require_two_factor}
    return render(
        request,
        "audit/sign_in.html",
        {
            "firm": firm,
            "form": forms_.get("form") or RequireTwoFactorForm(initial=initial),
            "members": [(m, m.user_id in with_app) for m in members],
        },
        status=status,
    )


_PAGE = form_page(landing=lambda *_: redirect("audit:sign_in"), rerender=_page)
_REQUIRE = PageAction(
    complaint_services.firm_set_require_two_factor,
    lambda firm, saved: "Saved: two-factor sign-in is "
    + ("required of every member." if saved.require_two_factor else "not required."),
    RequireTwoFactorForm,
    id_kwarg="firm_id",
)
_RESET = PageAction(
    complaint_services.member_reset_two_factor,
    lambda firm, saved: f"Two-factor sign-in reset for {saved.user.get_full_name() or saved.user}.",
    id_kwarg="firm_id",
)
_MEMBERS = ActionPage(landing=lambda *_: redirect("audit:sign_in"))


@require_perm(MANAGE)
def sign_in_page(request):
    return form_page_or_perform(request, _REQUIRE, request.membership.firm, _PAGE)


@require_perm({"POST": Perm.MANAGE_FIRM}, model=Membership, kwarg="membership_id")
def reset_two_factor(request, membership_id: int):
    membership = request.scoped_object
    return perform(request, _RESET, membership.firm, _MEMBERS, user_id=membership.user_id)
