from . import access


def firm_context(request):
    """The user's firms and the one selected in the session (the firm switcher)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = access.current_membership(request)
    return {
        "memberships": access.memberships(user),
        "current_membership": current,
        "current_firm": current.firm if current else None,
    }
