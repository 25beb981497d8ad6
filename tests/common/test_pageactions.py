"""common.pageactions on its own: what ``perform`` does with valid and invalid input, success
and each kind of refusal, without any app's pages."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from common.errors import ConflictError, ValidationFailed
from common.pageactions import (
    ActionPage,
    PageAction,
    Refusal,
    form_page,
    form_page_or_perform,
    perform,
)


class Thing:
    pk = 7


class NameForm(forms.Form):
    name = forms.CharField(label="Name")


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = "alice"
    request._messages = CookieStorage(request)
    return request


def _flashes(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _land(request, obj, result):
    return HttpResponse(f"landed {obj.pk} {result}", status=302)


def _rerender(request, obj, posted, status):
    return HttpResponse(
        ",".join(f"{k}:{f.errors.as_text()}" for k, f in posted.items()), status=status
    )


def _recorder(calls, result="done", raises=None):
    def service(**kwargs):
        calls.append(kwargs)
        if raises:
            raise raises
        return result

    return service


def test_success_passes_id_actor_now_and_cleaned_data_then_flashes_and_lands():
    calls = []
    action = PageAction(
        _recorder(calls), lambda obj, result: f"Did {result}.", NameForm, id_kwarg="thing_id"
    )
    request = _request(data={"name": "Bob"})
    response = perform(request, action, Thing(), ActionPage(landing=_land))
    assert response.content == b"landed 7 done"
    assert set(calls[0]) == {"thing_id", "actor", "now", "name"}
    assert calls[0]["thing_id"] == 7 and calls[0]["actor"] == "alice"
    assert _flashes(request) == [("success", "Did done.")]


def test_a_bare_button_untimed_gets_what_arguments_make_of_the_raw_post():
    calls = []
    action = PageAction(
        _recorder(calls),
        "Ok.",
        arguments=lambda post: {"flag": post.get("flag") == "on"},
        timed=False,
    )
    perform(_request(data={"flag": "on"}), action, Thing(), ActionPage(landing=_land), extra=1)
    assert calls == [{"actor": "alice", "flag": True, "extra": 1}]


def test_invalid_input_is_flashed_on_a_panel_and_shown_again_on_a_page():
    calls = []
    action = PageAction(_recorder(calls), "Ok.", NameForm, "name_form")
    panel = _request()
    assert perform(panel, action, Thing(), ActionPage(landing=_land)).status_code == 302
    assert _flashes(panel) == [("error", "Name: This field is required.")]
    page = perform(_request(), action, Thing(), ActionPage(landing=_land, rerender=_rerender))
    assert page.status_code == 400 and page.content.startswith(b"name_form:")
    assert calls == []


def test_each_kind_of_refusal():
    refusal = ValidationFailed("bad", "No.", fields={"name": ["Taken."]}, rule="R 1")
    action = PageAction(_recorder([], raises=refusal), "Ok.", NameForm)
    flashed = _request(data={"name": "Bob"})
    assert perform(flashed, action, Thing(), ActionPage(landing=_land)).status_code == 302
    assert _flashes(flashed) == [("error", "No. (R 1)")]
    on_form = perform(_request(data={"name": "Bob"}), action, Thing(), form_page(_land, _rerender))
    assert on_form.status_code == 400 and b"Taken." in on_form.content
    conflict = PageAction(_recorder([], raises=ConflictError("stale", "Changed.")), "Ok.")
    again = _request()
    page = ActionPage(landing=_land, rerender=_rerender, refusal=Refusal.PAGE)
    assert perform(again, conflict, Thing(), page).status_code == 409
    assert _flashes(again) == [("error", "Changed.")]
    own = ActionPage(landing=_land, refused=lambda *args: HttpResponse(status=418))
    assert perform(_request(), conflict, Thing(), own).status_code == 418


def test_a_get_shows_the_form_page_and_a_post_performs():
    action = PageAction(_recorder([]), "Ok.", NameForm)
    page = form_page(_land, _rerender)
    shown = form_page_or_perform(_request("get"), action, Thing(), page)
    assert shown.status_code == 200 and shown.content == b""
    done = form_page_or_perform(_request(data={"name": "Bob"}), action, Thing(), page)
    assert done.status_code == 302
