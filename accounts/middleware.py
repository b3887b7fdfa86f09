import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# When this session last made a request, in seconds since the epoch.
LAST_SEEN_KEY = "last_seen"
# Saving the session costs a write; saving the time at most once a minute (or a tenth of a
# short time-out) keeps that to one a minute for someone busy, for a little slack.
LAST_SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    """Signs out a session with no request for SESSION_IDLE_MINUTES (GOV.UK's session
    time-out), and tells the sign-in page why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            idle = settings.SESSION_IDLE_MINUTES * 60
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > idle:
                self._sign_out(request)
            elif not isinstance(last_seen, int) or now - last_seen >= min(
                LAST_SEEN_RESOLUTION, idle // 10
            ):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest) -> None:
        from .models import SecurityEventKind, User
        from .services import security_event_record
        from .sign_in_views import IDLE_KEY

        user = request.user
        logout(request)
        request.session[IDLE_KEY] = True
        if isinstance(user, User):
            security_event_record(user=user, kind=SecurityEventKind.SIGNED_OUT_IDLE)


def remember_language(response: HttpResponse, code: str) -> None:
    """The language cookie LocaleMiddleware reads, for pages before sign-in and after sign-out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )


class AccountLanguageMiddleware:
    """A signed-in person's chosen language (User.language) wins over the cookie and the
    browser, so the choice follows them to another device; the cookie is brought in line, so
    the signed-out page after it is in their language too. After LocaleMiddleware, which sets
    Content-Language from whatever is active when the response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        chosen = getattr(user, "language", "") if user.is_authenticated else ""
        if chosen and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            remember_language(response, chosen)
        return response
