from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext


def service_name() -> str:
    """The service's name in the active language (a deployment may have its own name)."""
    if settings.SERVICE_NAME == "Council Digital Maturity Portal":
        return gettext("Council Digital Maturity Portal")
    return settings.SERVICE_NAME


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "SERVICE_NAME": service_name(),
        # For the time-out warning on signed-in pages (static/js/timeout-warning.js).
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_MINUTES * 60,
        "SESSION_IDLE_WARNING_SECONDS": settings.SESSION_IDLE_WARNING_SECONDS,
    }
