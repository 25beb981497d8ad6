from complaints import access


def firm_context(request):
    """The user's firms and the one selected in the session (the firm switcher)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ms = access.memberships(user)
    current = current_membership(request)
    return {
        "memberships": ms,
        "current_membership": current,
        "current_firm": current.firm if current else None,
    }


def current_membership(request):
    ms = access.memberships(request.user)
    if not ms:
        return None
    firm_id = request.session.get("firm_id")
    return next((m for m in ms if m.firm_id == firm_id), ms[0])
