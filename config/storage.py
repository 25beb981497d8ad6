"""Where evidence files go and how large they may be, from the environment (docs/evidence.md).
``config.settings`` takes ``EVIDENCE_STORAGE`` as ``STORAGES["evidence"]``."""

from __future__ import annotations

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured


def evidence_storage(env: environ.Env) -> dict[str, Any]:
    """``EVIDENCE_STORAGE=local`` (the default): ``MEDIA_ROOT/evidence`` or ``EVIDENCE_ROOT``;
    ``EVIDENCE_STORAGE=s3``: a private, encrypted S3-compatible bucket (``EVIDENCE_S3_*``)."""
    kind = env.str("EVIDENCE_STORAGE", default="local")
    if kind == "local":
        return {
            "BACKEND": "evidence.storage.EvidenceFileStorage",
            "OPTIONS": {"location": env.str("EVIDENCE_ROOT", default="") or None},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"EVIDENCE_STORAGE must be local or s3, not {kind!r}")
    encrypt = env.bool("EVIDENCE_S3_ENCRYPT", default=True)
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("EVIDENCE_S3_BUCKET"),
            "location": env.str("EVIDENCE_S3_PREFIX", default="evidence"),
            "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("EVIDENCE_S3_REGION", default="") or None,
            "access_key": env.str("EVIDENCE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("EVIDENCE_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"} if encrypt else {},
        },
    }


EVIDENCE_STORAGE = evidence_storage(environ.Env())
# The largest evidence file accepted, in bytes.
EVIDENCE_MAX_BYTES = environ.Env().int("EVIDENCE_MAX_BYTES", default=25_000_000)
