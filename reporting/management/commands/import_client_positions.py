"""``manage.py import_client_positions --firm FRN --as-at YYYY-MM-DD FILE``: the UI import."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.errors import DomainError
from reporting.imports import Source
from reporting.services import ImportRejected, snapshot_import

from ._common import firm_by_frn, iso_date, user_by_username


class Command(BaseCommand):
    help = (
        "Import a client position snapshot (CSV or XLSX, one row per arrangement) as at a "
        "period end. All or nothing: any bad row rejects the file and every error is printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--firm", required=True, help="The firm's FRN")
        parser.add_argument("--as-at", required=True, help="Period end, YYYY-MM-DD")
        parser.add_argument("--user", help="Record the import as done by this username")
        parser.add_argument("file", help="Path to a .csv or .xlsx file")

    def handle(self, *args, **opts) -> None:
        firm = firm_by_frn(opts["firm"])
        as_at = iso_date("--as-at", opts["as_at"])
        actor = user_by_username(opts.get("user"))
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"FILE: No such file {str(path)!r}.")
        try:
            result = snapshot_import(
                firm=firm,
                as_at=as_at,
                source=Source.from_path(path),
                actor=actor,
                now=timezone.now(),
            )
        except ImportRejected as exc:
            rejection = exc.rejection
            with rejection.errors_file.open("r") as errors:
                lines = list(csv.reader(errors))[1:]
            for row, column, value, message in lines:
                shown = f" ({value!r})" if value else ""
                self.stderr.write(f"row {row}, {column}{shown}: {message}")
            raise CommandError(
                f"{path.name}: {rejection.error_count} error(s); nothing was imported."
            ) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        snap = result.snapshot
        if not result.created:
            self.stdout.write(
                f"{path.name} was already imported for {firm.frn} as at {as_at} "
                f"(snapshot {snap.pk}, {snap.row_count} rows); nothing changed."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {snap.row_count} rows for {firm.frn} as at {as_at} "
                f"(snapshot {snap.pk}, SHA-256 {snap.file_sha256}, {snap.load_seconds:.1f} s)."
            )
        )
