"""Register imports are background jobs (issue 15 item 2): the preview and the import each run
as a job with progress, can be cancelled, and the uploaded file is removed when the job ends."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from common.models import UploadJob
from complaints.models import Complaint
from intake.models import ImportBatch
from tests.factories import FirmFactory, MembershipFactory
from tests.intake.test_register_import import NOW, row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def upload(data: bytes, name: str = "register.csv"):
    file = io.BytesIO(data)
    file.name = name
    return file


def no_uploads_left() -> bool:
    return not default_storage.exists("uploads") or not default_storage.listdir("uploads")[1]


def test_the_upload_answers_with_a_queued_job_and_the_file_goes_once_previewed(
    client, handler, django_capture_on_commit_callbacks
):
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("intake:import"), {"file": upload(to_csv([row("J-1")]))})
    job = UploadJob.objects.get()
    assert response.url == reverse("intake:job_detail", args=[job.pk])
    assert job.state == "queued" and default_storage.exists(job.file.name)
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Cancel this import" in page
    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes
        queued[0]()
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.state, job.rows_done, job.rows_total) == ("succeeded", 1, 1)
    assert job.result_url == reverse("intake:detail", args=[batch.pk])
    assert job.file.name == "" and no_uploads_left()
    api = client.get(f"/api/imports/jobs/{job.pk}/").json()
    assert api["state"] == "succeeded" and api["kind"] == "register_preview"


def test_an_unreadable_register_fails_its_job_clearly_and_the_file_goes(
    client, handler, django_capture_on_commit_callbacks
):
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import"), {"file": upload(b"a,b\n1,2\n")})
    job = UploadJob.objects.get()
    assert job.state == "failed" and job.error.startswith("Missing column(s): firm_reference")
    assert job.file.name == "" and no_uploads_left()
    assert not ImportBatch.objects.exists()


def test_cancelling_a_queued_preview_removes_its_file_and_keeps_nothing(
    client, handler, django_capture_on_commit_callbacks
):
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("intake:import"), {"file": upload(to_csv([row("K-1")]))})
    job = UploadJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/imports/jobs/{job.pk}/cancel/")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert no_uploads_left()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes
        queued[0]()
    job.refresh_from_db()
    assert job.state == "cancelled" and not ImportBatch.objects.exists()
    assert client.post(f"/api/imports/jobs/{job.pk}/cancel/").json()["code"] == "job_finished"


def test_confirming_twice_queues_one_import(client, handler, django_capture_on_commit_callbacks):
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import"), {"file": upload(to_csv([row("D-1")]))})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(reverse("intake:confirm", args=[batch.pk]), {})
        second = client.post(reverse("intake:confirm", args=[batch.pk]), {})
    assert first.url == second.url and len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes
        queued[0]()
    assert Complaint.objects.get().external_reference == "D-1"
    job = UploadJob.objects.get(kind="register_commit")
    assert job.state == "succeeded" and job.result_note == "Imported 1 complaint(s)."


def test_no_upload_is_a_form_error_never_a_500(client, handler):
    client.force_login(handler)
    for data in ({}, {"file": upload(b"", "empty.csv")}, {"file": upload(b"x", "r.txt")}):
        page = client.post(reverse("intake:import"), data)
        assert page.status_code == 200 and 'class="errorlist"' in page.content.decode(), data
    assert not UploadJob.objects.exists()


def test_another_firms_job_is_a_404_and_a_reporting_role_cannot_see_it(
    client, firm, handler, django_capture_on_commit_callbacks
):
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import"), {"file": upload(to_csv([row("S-1")]))})
    job = UploadJob.objects.get()
    client.force_login(MembershipFactory(firm=FirmFactory(), role="handler").user)
    for url in (reverse("intake:job_detail", args=[job.pk]), f"/api/imports/jobs/{job.pk}/"):
        assert client.get(url).status_code == 404, url
    client.force_login(MembershipFactory(firm=firm, role="reporting_officer").user)
    assert client.get(f"/api/imports/jobs/{job.pk}/").status_code == 403
    # A register job is not a reporting job: the snapshot job API does not know it.
    client.force_login(handler)
    assert client.get(f"/api/reporting/jobs/{job.pk}/").status_code == 404
