from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from demo.clock import start_demo_clock

        start_demo_clock()
