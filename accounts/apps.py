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
        user_logged_in.connect(_keep_language, dispatch_uid="accounts-keep-language")


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


def _keep_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # A language chosen with the switch before signing in becomes the account's, so the next
    # device and the emails follow it; a choice already on the account is not overwritten.
    from django.conf import settings

    from .services import user_language_set

    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if not user.language and chosen in dict(settings.LANGUAGES):
        user_language_set(user=user, language=chosen)
