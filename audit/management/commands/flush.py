"""``flush`` that also works with append-only, chained history.

PostgreSQL flushes with TRUNCATE, which the audit tables refuse by trigger (common.chain_sql):
wiping the whole database (Django's TransactionTestCase teardown, a demo reset) disables those
triggers for its own transaction only, which only the tables' owner can do (the web role
cannot: docs/security.md "Database roles"). SQLite flushes with DELETE, which the history
triggers refuse: there it runs inside a history-rewrite allowance instead.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from common.chain_sql import NO_TRUNCATE, truncate_guarded_tables
from common.history_guard import allow_history_rewrite, install_history_guards


class Command(FlushCommand):
    def handle(self, **options):
        database = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[database]
        if connection.vendor == "postgresql":
            # post_migrate (seeding, re-installing triggers) runs after the triggers are back:
            # rows it inserts leave pending constraint checks that block ALTER TABLE.
            with transaction.atomic(using=database):
                tables = truncate_guarded_tables(database)
                self._set_truncate_triggers(connection, tables, "DISABLE")
                super().handle(**{**options, "inhibit_post_migrate": True})
                self._set_truncate_triggers(connection, tables, "ENABLE")
            if not options.get("inhibit_post_migrate"):
                emit_post_migrate_signal(options["verbosity"], options["interactive"], database)
            return None
        install_history_guards(database)  # creates the guard table on a fresh database
        with (
            transaction.atomic(using=database),
            allow_history_rewrite(reason="retention", using=database),
        ):
            return super().handle(**options)

    @staticmethod
    def _set_truncate_triggers(connection, tables: list[str], action: str) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {qn(table)} {action} TRIGGER {NO_TRUNCATE}")
