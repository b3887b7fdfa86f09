from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        # For the time-out warning on signed-in pages (static/js/timeout-warning.js).
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_MINUTES * 60,
        "SESSION_IDLE_WARNING_SECONDS": settings.SESSION_IDLE_WARNING_SECONDS,
    }
