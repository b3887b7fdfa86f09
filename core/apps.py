from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        from core.translation import drop_empty_fallbacks

        drop_empty_fallbacks()
