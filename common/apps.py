from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from .fsm_states import no_receivers_for_migration_states
        from .inputs import bound_dates

        bound_dates()
        no_receivers_for_migration_states()
