from django.urls import NoReverseMatch, reverse

from common.context import once_per_request

from . import access
from .access import Perm

# The main menu: each link with the permission its page needs to open (the view's
# ``require_perm``), so a role sees only what it may open and the menu never leads to a 403.
MENU: tuple[tuple[str, str, Perm], ...] = (
    ("complaints:queue", "Work queue", Perm.VIEW_COMPLAINTS),
    ("complaints:my_tasks", "My tasks", Perm.VIEW_COMPLAINTS),
    ("complaints:create", "Log a complaint", Perm.HANDLE_COMPLAINTS),
    ("mailroom:inbox", "E-mail", Perm.VIEW_COMPLAINTS),
    ("complaints:calculator", "Deadline calculator", Perm.VIEW_COMPLAINTS),
    ("complaints:bank_holidays", "Bank holidays", Perm.VIEW_COMPLAINTS),
    ("remediation:dashboard", "MI", Perm.VIEW_MI),
    ("remediation:incidents", "Incidents", Perm.VIEW_COMPLAINTS),
    ("fos:referrals", "FOS referrals", Perm.VIEW_COMPLAINTS),
    ("reporting:returns", "Returns", Perm.VIEW_RETURNS),
    ("letters:templates", "Letter templates", Perm.VIEW_COMPLAINTS),
)


def menu(role: str | None, path: str = "") -> list[dict[str, object]]:
    """The menu links ``role`` may open (none without a firm), each marked current or not."""
    if role is None:
        return []
    allowed = access.ROLE_PERMISSIONS[role]
    links = []
    for name, label, perm in MENU:
        if perm not in allowed:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app left out of this installation
            continue
        links.append({"url": url, "label": label, "current": path == url})
    return links


@once_per_request
def firm_context(request):
    """The user's firms and the one selected in the session (the firm switcher), and the
    menu that firm's role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = access.current_membership(request)
    return {
        "memberships": access.memberships(user),
        "current_membership": current,
        "current_firm": current.firm if current else None,
        "menu": menu(current.role if current else None, request.path),
    }
