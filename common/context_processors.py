from collections.abc import Callable

from complaints import access

# Apps add template context (e.g. the unread notification count) by registering a provider in
# their AppConfig.ready(): register_context_provider(lambda request: {...}).
_PROVIDERS: list[Callable] = []


def register_context_provider(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def firm_context(request):
    """The user's firms and the one selected in the session (the firm switcher)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ms = access.memberships(user)
    current = current_membership(request)
    context = {
        "memberships": ms,
        "current_membership": current,
        "current_firm": current.firm if current else None,
    }
    for provider in _PROVIDERS:
        context.update(provider(request) or {})
    return context


def current_membership(request):
    ms = access.memberships(request.user)
    if not ms:
        return None
    firm_id = request.session.get("firm_id")
    return next((m for m in ms if m.firm_id == firm_id), ms[0])
