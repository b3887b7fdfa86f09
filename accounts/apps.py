from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_idle_clock, dispatch_uid="accounts-idle-clock")
        user_logged_in.connect(_still_in_use, dispatch_uid="accounts-still-in-use")


def _start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Saved with the login's own session write, so the first page after it writes nothing.
    import time

    from .middleware import LAST_SEEN_KEY

    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


def _still_in_use(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Signing in after the warning keeps the account (portal.retention).
    if getattr(user, "inactive_warned_at", None) is not None:
        type(user).objects.filter(pk=user.pk).update(inactive_warned_at=None)
        user.inactive_warned_at = None
