from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone

from .admin_mixins import NoWritesMixin, ReadOnlyHistoryAdmin
from .models import ApiToken, OutboxMessage
from .tokens import api_token_issue, api_token_revoke


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyHistoryAdmin):
    """Issue (the add form) and revoke; a token is never edited, and shown in clear only once."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "name", "user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = (
        "prefix",
        "user",
        "name",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke_tokens", "reissue_tokens"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IssueTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else list(self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        # Viewing is allowed; the only changes are the revoke/reissue actions.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        issued = api_token_issue(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            actor=request.user,
            now=timezone.now(),
        )
        obj.pk = issued.token.pk
        request._issued_tokens = [issued]

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_issued(request, request._issued_tokens)

    def _show_issued(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "issued": issued,
            "title": "API token issued",
        }
        return TemplateResponse(request, "admin/common/apitoken/issued.html", context)

    @admin.action(description="Revoke selected tokens")
    def revoke_tokens(self, request, queryset):
        now = timezone.now()
        count = 0
        for token in queryset.active():
            api_token_revoke(token_id=token.pk, actor=request.user, now=now)
            count += 1
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)

    @admin.action(description="Reissue selected tokens (revoke and issue a replacement)")
    def reissue_tokens(self, request, queryset):
        now = timezone.now()
        issued = []
        for token in queryset.select_related("user"):
            api_token_revoke(token_id=token.pk, actor=request.user, now=now)
            issued.append(
                api_token_issue(user=token.user, name=token.name, actor=request.user, now=now)
            )
        return self._show_issued(request, issued)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NoWritesMixin, admin.ModelAdmin):
    """What the outbox holds (pending, delivered, failed), for operations; read-only: retries
    go through the services (a letter's retry), the sweep or ``manage.py sweep_outbox``."""

    list_display = ("dedupe_key", "kind", "state", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("state", "kind")
    search_fields = ("dedupe_key",)
