"""``manage.py import_complaints --firm FRN FILE [--all-or-nothing] [--dry-run] [--user NAME]``.

The same preview and commit as the web import. Exit status 1 when rows fail (or, with
--all-or-nothing, when nothing was imported because some did).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.errors import DomainError
from complaints import access
from complaints.models import Firm
from intake.models import ImportStatus
from intake.services import import_file


class Command(BaseCommand):
    help = "Import an existing complaints register (CSV or XLSX) for one firm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv or .xlsx file in the template's layout")
        parser.add_argument("--firm", required=True, help="The firm's FRN")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="Import nothing if any row fails"
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only; keep nothing")
        parser.add_argument(
            "--user", help="Record the import as this user (must handle complaints in the firm)"
        )

    def handle(self, *args, **opts) -> None:
        firm = Firm.objects.filter(frn=opts["firm"]).first()
        if firm is None:
            raise CommandError(f"--firm: no firm with FRN {opts['firm']!r}.")
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None or not access.has_perm(actor, firm.pk, access.Perm.HANDLE_COMPLAINTS):
                raise CommandError(f"--user: {opts['user']!r} does not handle complaints there.")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            run = import_file(
                firm=firm,
                actor=actor,
                now=timezone.now(),
                filename=path.name,
                content=path.read_bytes(),
                all_or_nothing=opts["all_or_nothing"],
                dry_run=opts["dry_run"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if run.earlier is not None:
            self.stdout.write(
                f"{path.name} was already imported for this firm on "
                f"{run.earlier.committed_at:%Y-%m-%d %H:%M} (import {run.earlier.pk}): "
                "nothing new created."
            )
            if not opts["dry_run"]:
                return
        batch = run.batch
        for result in batch.results:
            if result["outcome"] in ("error", "duplicate"):
                for column, messages in result["errors"].items():
                    for message in messages:
                        self.stdout.write(
                            f"row {result['row']} [{result['outcome']}] {column}: {message}"
                        )
        verb = {
            ImportStatus.PREVIEWED: "would import",
            ImportStatus.COMMITTED: "imported",
            ImportStatus.REJECTED: "imported nothing; would import",
        }[batch.status]
        self.stdout.write(
            f"{batch.filename}: {verb} {batch.rows_ok} of {batch.rows_total} rows; "
            f"{batch.rows_duplicate} already in the register; {batch.rows_error} with errors."
        )
        if batch.rows_error:
            raise CommandError(f"{batch.rows_error} row(s) have errors.", returncode=1)
