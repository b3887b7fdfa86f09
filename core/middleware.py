from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .http import allowed_methods

# Charts (Plotly) write inline styles, so styles allow 'unsafe-inline'; scripts never do.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """Signed-in pages are never stored: not by a shared council PC's browser, not by a proxy.

    Covers the response that signs someone in or out too, so the page before and after a
    change of person is never served from a cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in_before or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HttpMethodsMiddleware:
    """Answers a method the view does not take with 405, before the view runs (core.http)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        allowed = allowed_methods(view_func)
        if request.method in allowed:
            return None
        response = render(request, "405.html", status=405)
        response["Allow"] = ", ".join(sorted(allowed))
        return response


class RejectNulMiddleware:
    """A NUL character is never part of a real address or query, and PostgreSQL refuses one
    in any text: a request carrying one in its path or query string is a bad request (400),
    answered before any view or the admin site's filters take a value from it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character in the address")
        return self.get_response(request)
