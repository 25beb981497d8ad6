"""Evidence in an S3-compatible bucket (EVIDENCE_STORAGE=s3): the same service and views, with
django-storages talking to a real S3 server over HTTP (moto's server, started for this module)."""

from __future__ import annotations

import hashlib
import socket

import boto3
import pytest
from django.urls import reverse

from evidence import services
from evidence.choices import Kind
from evidence.storage import evidence_storage
from tests.evidence.conftest import NOW, png_bytes

pytestmark = pytest.mark.django_db
BUCKET = "complaints-evidence"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2", **KEYS).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": "evidence",
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-2",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "default_acl": "private",
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-2", **KEYS)


def test_evidence_is_stored_in_the_bucket_and_served_from_it(
    s3_storage, client, complaint, handler, django_capture_on_commit_callbacks
):
    data = png_bytes()
    row = services.evidence_add(
        complaint,
        user=handler,
        kind=Kind.SCREENSHOT,
        title="Wallet",
        content=data,
        file_name="wallet.png",
        now=NOW,
    )
    assert type(evidence_storage._wrapped).__name__ == "S3Storage"
    stored = s3_storage.get_object(Bucket=BUCKET, Key=f"evidence/{row.file.name}")
    body = stored["Body"].read()
    assert hashlib.sha256(body).hexdigest() == row.sha256
    assert stored["ServerSideEncryption"] == "AES256"
    client.force_login(handler)
    response = client.get(reverse("evidence:download", args=[row.pk]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == data

    with django_capture_on_commit_callbacks(execute=True):  # the purge deletes after commit
        services.evidence_purge(complaint_ids=[complaint.pk], actor=None)
    listed = s3_storage.list_objects_v2(Bucket=BUCKET, Prefix="evidence/")
    assert listed.get("KeyCount", 0) == 0
