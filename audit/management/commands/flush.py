"""``flush`` that also works with append-only history on SQLite.

PostgreSQL flushes with TRUNCATE, which row triggers do not see. SQLite flushes with DELETE,
which the history triggers refuse: wiping the whole database (the demo reset, and Django's
TransactionTestCase teardown on SQLite) runs inside a history-rewrite allowance instead.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from common.history_guard import allow_history_rewrite, install_history_guards


class Command(FlushCommand):
    def handle(self, **options):
        database = options.get("database") or DEFAULT_DB_ALIAS
        if connections[database].vendor != "sqlite":
            return super().handle(**options)
        install_history_guards(database)  # creates the guard table on a fresh database
        with (
            transaction.atomic(using=database),
            allow_history_rewrite(reason="retention", using=database),
        ):
            return super().handle(**options)
