"""Which HTTP methods each view answers, declared on the view and enforced by
core.middleware.HttpMethodsMiddleware: deny by default, the way Django's own
LoginRequiredMiddleware reads `login_required`.

A view that only reads is marked @reads (GET and HEAD); one with a form @form_view (GET, HEAD
and POST); one that only acts @action (POST). Anything else gets a 405 with an Allow header.
Views no one marked (the admin site's, Django's sign-in views) answer GET, HEAD and POST.
"""

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable[..., object])

READS = frozenset({"GET", "HEAD"})
FORM = frozenset({"GET", "HEAD", "POST"})
ACTION = frozenset({"POST"})
# Nothing in the portal takes PUT, PATCH, DELETE, TRACE, OPTIONS or CONNECT.
UNMARKED = FORM


def _marker(methods: frozenset[str]) -> Callable[[View], View]:
    def mark(view: View) -> View:
        view.http_methods = methods  # type: ignore[attr-defined]
        return view

    return mark


reads = _marker(READS)
form_view = _marker(FORM)
action = _marker(ACTION)


def allowed_methods(view: Callable[..., object]) -> frozenset[str]:
    return getattr(view, "http_methods", UNMARKED)
