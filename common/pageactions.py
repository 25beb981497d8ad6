"""One shape for the POST actions of the server-rendered pages.

An action posts a form (or a bare button) about one object its URL names. ``perform`` binds
and validates the form, calls the service with the object's id, the user and the time, shows a
refusal, flashes success and sends the browser on. What differs per action (service, form,
message, keyword) is its ``PageAction``; what differs per page (where it goes next, how it
shows the page again, how it words a refusal) is its ``ActionPage``. ``common`` imports no app,
so a page hands in its own rendering and redirects as functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .errors import DomainError

# The request is Any: each app's pages take the request type its access checks leave.
# (request, the object, the service's result or None when it did not run) -> where to go next.
Landing = Callable[[Any, Any, Any], HttpResponse]
# (request, the object, {context name: bound form}, status) -> the page again.
Rerender = Callable[[Any, Any, dict[str, forms.Form], int], HttpResponse]
# (request, the object, the action, its bound form or None, the refusal) -> the answer.
Refused = Callable[[Any, Any, "PageAction", forms.Form | None, DomainError], HttpResponse]


def apply_service_errors(
    form: forms.Form,
    error: DomainError,
    field_map: dict[str, str] | None = None,
    *,
    message: str | None = None,
) -> None:
    """Show a service's per-field messages on the form's fields (others as form errors)."""
    field_map = field_map or {}
    placed = False
    for name, field_messages in error.fields.items():
        target = field_map.get(name, name)
        for text in field_messages:
            if target in form.fields:
                form.add_error(target, text)
                placed = True
    if not placed:
        form.add_error(None, message or error.message)


def with_rule(exc: DomainError) -> str:
    """A refusal as a flash: its message, and the rule behind it in parentheses."""
    rule = f" ({exc.rule})" if exc.rule else ""
    return f"{exc.message}{rule}"


def message_only(exc: DomainError) -> str:
    """A refusal as its message alone."""
    return exc.message


def flash_form_errors(request: HttpRequest, form: forms.Form) -> None:
    """A form posted from a panel that cannot show it again: each field's first error."""
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ") if field in form.fields else ""
        first = str(errors[0])  # ErrorList yields messages; the stubs say ValidationError too
        messages.error(request, f"{label.capitalize()}: {first}" if label else first)


class Refusal(StrEnum):
    FLASH = "flash"  # flash the refusal and land where success would
    FORM = "form"  # put its messages on the form and show the page again (a 400)
    PAGE = "page"  # flash it and show the page again with the refusal's status


@dataclass(frozen=True)
class ActionPage:
    """The page an action is posted from: where it goes next, and how it shows trouble.

    Invalid input shows the page again with the bound form (``invalid_status``) when the page
    can ``rerender``; a panel that cannot flashes the form's errors and lands. ``refused``
    replaces ``refusal`` for a page that answers each kind of refusal its own way."""

    landing: Landing
    rerender: Rerender | None = None
    refusal: Refusal = Refusal.FLASH
    describe: Callable[[DomainError], str] = with_rule
    invalid_status: int = 400
    refused: Refused | None = None

    def show(
        self,
        request: HttpRequest,
        obj: Any,
        action: PageAction,
        form: forms.Form | None,
        status: int,
    ) -> HttpResponse:
        assert self.rerender is not None, "this page cannot show a form again"
        return self.rerender(
            request, obj, {action.form_name: form} if form is not None else {}, status
        )


def form_page(
    landing: Landing, rerender: Rerender, describe: Callable[[DomainError], str] = message_only
) -> ActionPage:
    """A page with a form of its own: bad input and refusals show on the form (a 400)."""
    return ActionPage(landing, rerender, Refusal.FORM, describe)


@dataclass(frozen=True)
class PageAction:
    """One POST action: the service it calls and what it says when that is done.

    The service gets ``<id_kwarg>=<object pk>`` (when set), ``actor``, ``now`` (unless not
    ``timed``) and the form's cleaned data, or what ``arguments`` makes of it (of the raw POST
    for a bare button). ``success`` is the flash, or makes it from the object and the result
    (None: the page it lands on says it); ``landing`` replaces the page's after success (e.g.
    to what the action created)."""

    service: Callable[..., Any]
    success: str | Callable[[Any, Any], str] | None
    form: Callable[..., forms.Form] | None = None
    form_name: str = "form"
    id_kwarg: str | None = None
    arguments: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    timed: bool = True
    landing: Landing | None = None

    def call(self, request: HttpRequest, obj: Any, form: forms.Form | None, **extra: Any) -> Any:
        data: Mapping[str, Any] = form.cleaned_data if form is not None else request.POST
        if self.arguments is not None:
            kwargs = dict(self.arguments(data))
        else:
            kwargs = dict(data) if form is not None else {}
        if self.id_kwarg:
            kwargs[self.id_kwarg] = obj.pk
        if self.timed:
            kwargs["now"] = timezone.now()
        return self.service(actor=request.user, **kwargs, **extra)


def perform(
    request: HttpRequest,
    action: PageAction,
    obj: Any,
    page: ActionPage,
    *,
    form: forms.Form | None = None,
    **extra: Any,
) -> HttpResponse:
    """Run ``action`` on ``obj`` as posted (``form``: one the view bound itself); ``extra``
    goes to the service as it is."""
    if form is None and action.form is not None:
        form = action.form(request.POST, request.FILES)
    if form is not None and not form.is_valid():
        if page.rerender is None:
            flash_form_errors(request, form)
            return page.landing(request, obj, None)
        return page.show(request, obj, action, form, page.invalid_status)
    try:
        result = action.call(request, obj, form, **extra)
    except DomainError as exc:
        return _refused(request, obj, action, page, form, exc)
    success = action.success
    if success is not None:
        messages.success(request, success if isinstance(success, str) else success(obj, result))
    return (action.landing or page.landing)(request, obj, result)


def form_page_or_perform(
    request: HttpRequest, action: PageAction, obj: Any, page: ActionPage, **extra: Any
) -> HttpResponse:
    """A page with a form of its own: a GET shows it, a POST performs ``action``."""
    if request.method == "POST":
        return perform(request, action, obj, page, **extra)
    return page.show(request, obj, action, None, 200)


def _refused(
    request: HttpRequest,
    obj: Any,
    action: PageAction,
    page: ActionPage,
    form: forms.Form | None,
    exc: DomainError,
) -> HttpResponse:
    if page.refused is not None:
        return page.refused(request, obj, action, form, exc)
    if page.refusal == Refusal.FORM and form is not None:
        apply_service_errors(form, exc, message=page.describe(exc))
        return page.show(request, obj, action, form, 400)
    messages.error(request, page.describe(exc))
    if page.refusal == Refusal.PAGE:
        return page.show(request, obj, action, form, exc.http_status)
    return page.landing(request, obj, None)
