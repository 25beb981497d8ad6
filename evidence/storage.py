"""Where evidence files live: Django's storage named ``evidence`` (settings.STORAGES).

By default a folder of the server's disk, ``MEDIA_ROOT/evidence``, which no URL serves: every
file goes out through the firm-scoped views, never a public address. Set
``EVIDENCE_STORAGE=s3`` (and the ``EVIDENCE_S3_*`` settings, docs/evidence.md) to keep the files
in an S3-compatible bucket through django-storages instead. Files are named by firm, complaint
and a random id, never by what the uploader called them.
"""

from __future__ import annotations

import os
import uuid
from typing import cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty

STORAGE_ALIAS = "evidence"


class EvidenceFileStorage(FileSystemStorage):
    """A folder under MEDIA_ROOT (``evidence/``) unless ``location`` is given; no public URL."""

    @cached_property
    def base_location(self):
        location = getattr(self, "_location", None)
        return self._value_or_setting(location, os.path.join(settings.MEDIA_ROOT, STORAGE_ALIAS))

    def url(self, name):
        raise ValueError("Evidence has no public address: the firm-scoped views serve it.")


class _EvidenceStorage(LazyObject):
    """The ``evidence`` storage as configured now (a settings change in tests picks it anew)."""

    def _setup(self) -> None:
        self._wrapped = storages[STORAGE_ALIAS]


evidence_storage = _EvidenceStorage()


def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        evidence_storage._wrapped = empty  # type: ignore[assignment]


setting_changed.connect(_storages_changed)


def get_evidence_storage() -> Storage:
    """The FileField's storage (a callable, so migrations name it and not a backend)."""
    return cast(Storage, evidence_storage)


def evidence_path(instance, filename: str) -> str:
    """``<firm>/<complaint>/<random>.<ext>``: the uploader's name is kept on the row only."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"{instance.firm_id}/{instance.complaint_id}/{uuid.uuid4().hex}{ext}"
