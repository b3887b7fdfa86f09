from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects them)
