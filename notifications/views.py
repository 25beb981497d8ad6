"""The notification inbox: list, mark one read, mark all read. Thin: selectors read, services
write. A user only ever sees and changes their own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from common.http import AuthenticatedRequest

from . import selectors, services

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    unread_only = request.GET.get("show", "unread") == "unread"
    qs = selectors.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_total": selectors.unread_count(request.user),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect(target or "notifications:list")


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(notification_id=pk, actor=request.user, now=timezone.now())
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "notifications/_item.html", {"n": notification})
    return _back(request)


@login_required
@require_POST
def notification_mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user, now=timezone.now())
    return _back(request)
