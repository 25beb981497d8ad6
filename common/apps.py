from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from .fields import compiled_email_patterns
        from .fsm_states import fast_state_reads, no_receivers_for_migration_states
        from .inputs import bound_dates

        bound_dates()
        no_receivers_for_migration_states()
        fast_state_reads()
        compiled_email_patterns()
