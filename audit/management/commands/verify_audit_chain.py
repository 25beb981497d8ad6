"""Verify every audit chain (docs/audit.md "Tamper-evident chain").

Exit status: 0 every chain intact; 1 a chain is broken (each named: table, object, row, what is
wrong); 2 this database keeps no chain (SQLite, the demo).
"""

from django.core.management.base import BaseCommand, CommandError

from common.chain import ChainNotKept, verify_chains


class Command(BaseCommand):
    help = "Verify the hash chains of every history table and of the sent letters."

    def handle(self, **options):
        try:
            reports = verify_chains()
        except ChainNotKept as exc:
            raise CommandError(str(exc), returncode=2) from exc
        broken = 0
        for report in reports:
            self.stdout.write(
                f"{report.table}: {report.intact_chains} of {report.chains} chains intact "
                f"({report.links} links)"
            )
            for b in report.breaks:
                self.stdout.write(f"BROKEN {b}")
            broken += report.broken_chains
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken.", returncode=1)
        chains = sum(r.chains for r in reports)
        self.stdout.write(self.style.SUCCESS(f"All {chains} audit chains intact."))
