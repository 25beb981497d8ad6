import pytest
from django.contrib import admin
from django.core.management import call_command

from complaints.choices import Status
from complaints.models import Complaint
from demo.complaints import USERS

pytestmark = pytest.mark.django_db


def test_load_demo_data_covers_every_state_and_is_idempotent(settings, capsys):
    # The console backend `make demo` has: the demo's letter e-mails must not reach the console.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    call_command("load_demo_data")
    printed = capsys.readouterr().out
    assert "Subject:" not in printed and "Content-Type:" not in printed
    lines = printed.rstrip("\n").splitlines()
    logins = [line.split()[0] for line in lines[-len(USERS) :]]
    assert logins == [username for username, *_ in USERS]  # the logins come last
    assert lines[-len(USERS) - 1].startswith("Sign in at http://127.0.0.1:8000/ with password")
    first = Complaint.objects.count()
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert 70 <= first <= 160
    firms = set(Complaint.objects.values_list("firm__nation", flat=True))
    assert firms == {"england", "scotland"}
    call_command("load_demo_data", verbosity=0)
    assert Complaint.objects.count() == first


def test_admin_registers_every_domain_model_and_history_is_read_only(admin_client):
    from django.apps import apps

    for app in ("complaints",):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model.__name__ == "ReferenceCounter":
                continue
            assert model in admin.site._registry, model
    call_command("load_demo_data", verbosity=0)
    c = Complaint.objects.first()
    page = admin_client.get(f"/admin/complaints/complaint/{c.pk}/history/")
    assert page.status_code == 200
    # Every registered model's list and one change page (with its read-only inlines) render.
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert admin_client.get(base).status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, model
    # Complaints change only through services: the admin cannot edit or delete them.
    assert admin_client.post(f"/admin/complaints/complaint/{c.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"/admin/complaints/complaint/{c.pk}/delete/", {}).status_code == 403
