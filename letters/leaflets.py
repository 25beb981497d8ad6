"""The Financial Ombudsman Service's standard explanatory leaflet, as each firm keeps it.

Final and holding responses say the leaflet is enclosed (DISP 1.6.2R(1)(d), (2)(c)); the
product ships no copy, so a firm administrator uploads it, versioned, with the date the firm
checked that it is the FOS's current leaflet. A letter saying it is enclosed carries the latest
version (``content.leaflet_to_enclose``): attached to the e-mail, appended to the print pack.
Until a firm has one, such letters are refused, and the system check ``letters.W001`` (run by
``migrate`` and ``manage.py check --database default``) names the firms without one.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import QuerySet

from common.audit import Actor, history_user, save_audited
from common.dates import london_date
from common.errors import ValidationFailed, required
from common.uploads import pdf_problems
from complaints.access import Perm
from complaints.models import Firm

from .content import LEAFLET_RULE
from .errors import LetterErrorCode
from .models import FosLeaflet
from .services import lock_firm, require_perm

DEFAULT_MAX_BYTES = 10_000_000


def max_bytes() -> int:
    return getattr(settings, "LETTERS_FOS_LEAFLET_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_upload(upload) -> tuple[str, bytes]:
    """An uploaded file's name and bytes, read no further than one byte past the limit (enough
    for ``leaflet_upload`` to say it is too large)."""
    return upload.name or "", upload.read(max_bytes() + 1)


def leaflet_versions(firm_id: int) -> QuerySet[FosLeaflet]:
    """The firm's leaflet versions, newest (the one letters enclose) first."""
    return FosLeaflet.objects.filter(firm_id=firm_id).select_related("uploaded_by")


def leaflet_upload(
    *,
    firm_id: int,
    actor: Actor,
    now: datetime,
    file_name: str,
    data: bytes,
    label: str,
    checked_on: date | None,
) -> FosLeaflet:
    """Keep a new version of the firm's FOS leaflet: from now on, letters that say the leaflet
    is enclosed carry this one. Letters already sent keep the version they went with."""
    require_perm(actor, firm_id, Perm.MANAGE_FIRM)
    errors = required(label=label.strip(), checked_on=checked_on)
    if problems := pdf_problems(data, max_bytes=max_bytes()):
        errors["file"] = problems
    if checked_on is not None and checked_on > london_date(now):
        errors["checked_on"] = ["The date it was checked cannot be in the future."]
    ValidationFailed.check(
        LetterErrorCode.FOS_LEAFLET_INVALID,
        "The leaflet could not be kept",
        errors,
        rule=LEAFLET_RULE,
    )
    assert checked_on is not None
    with transaction.atomic():
        # The firm's row serialises its uploads: version numbers never collide.
        firm = lock_firm(firm_id)
        latest = FosLeaflet.objects.current_for(firm.pk)
        leaflet = FosLeaflet(
            firm=firm,
            version=latest.version + 1 if latest else 1,
            label=" ".join(label.split())[:120],
            file_name=file_name[-200:],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            checked_on=checked_on,
            uploaded_by=history_user(actor),
            uploaded_at=now,
        )
        # Saved through the storage API (STORAGES["default"]); the row follows it.
        leaflet.file.save(file_name or "leaflet.pdf", ContentFile(data), save=False)
        save_audited(leaflet, actor=actor, reason="fos_leaflet.upload")
    return leaflet


def firms_without_leaflet() -> QuerySet[Firm]:
    return Firm.objects.filter(fos_leaflets__isnull=True).order_by("name")


@checks.register(checks.Tags.database)
def check_firms_have_a_leaflet(app_configs=None, databases=None, **kwargs) -> list:
    """letters.W001: a firm with no FOS leaflet cannot send final or holding responses that
    say it is enclosed (DISP 1.6.2R(1)(d), (2)(c))."""
    if not databases:
        return []
    try:
        names = list(firms_without_leaflet().values_list("name", flat=True))
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    if not names:
        return []
    return [
        checks.Warning(
            f"No FOS standard explanatory leaflet on file for: {', '.join(names)}.",
            hint="A firm administrator uploads the FOS's current leaflet (Letter templates, "
            "FOS leaflet, or POST /api/firms/<id>/fos-leaflets/). Until then final and "
            "holding responses saying the leaflet is enclosed are refused (DISP 1.6.2R(1)(d)).",
            id="letters.W001",
        )
    ]
