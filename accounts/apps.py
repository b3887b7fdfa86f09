from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_idle_clock, dispatch_uid="accounts-idle-clock")


def _start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Saved with the login's own session write, so the first page after it writes nothing.
    import time

    from .middleware import LAST_SEEN_KEY

    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
