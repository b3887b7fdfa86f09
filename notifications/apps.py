from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Emails"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects them)
