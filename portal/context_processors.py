import functools
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# The navigation's items, by a key that never changes with the language.
_LABELS = {
    "home": _("Home"),
    "assessments": _("Assessments"),
    "benchmarks": _("Benchmarks"),
    "councils": _("Councils"),
    "team": _("Your team"),
    "networks": _("Networks"),
    "administration": _("Administration"),
    "account": _("Your account"),
}

# Which navigation item each page belongs to, by "namespace:url_name".
_SECTIONS = {
    "portal:home": "home",
    "councils:directory": "councils",
    "councils:detail": "councils",
    "councils:networks": "networks",
    "councils:network-detail": "networks",
    "benchmarks:index": "benchmarks",
    "benchmarks:council": "benchmarks",
    "benchmarks:network": "networks",
    "reports:council": "benchmarks",
    "reports:network": "networks",
    "accounts:teams": "team",
    "accounts:team": "team",
    "accounts:invite": "team",
    "accounts:account": "account",
    "accounts:password-change": "account",
    "accounts:password-change-done": "account",
}


@functools.cache
def _address(name: str, prefix: str) -> str:
    """A navigation item's address: the same on every page, so worked out once per process
    rather than eight reverse() calls a page. reverse() puts the site's prefix in front, so it
    is part of the key."""
    return reverse(name)


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": _items(request)}


def _role_kinds(user: Any) -> tuple[bool, bool, bool]:
    """Whether the person holds any council role, leads a council, and analyses a network."""
    if not hasattr(user, "holds_council_role"):
        # Loaded some other way than by accounts.backends on this request: ask.
        user = User.objects.with_role_kinds().get(pk=user.pk)
    return user.holds_council_role, user.leads_a_council, user.analyses_a_network


def _items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation, showing each person only the areas their roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    council_member, lead, analyst = _role_kinds(user)
    prefix = get_script_prefix()
    items = [("home", _address("portal:home", prefix))]
    if council_member:
        items.append(("assessments", _address("assessments:index", prefix)))
        items.append(("benchmarks", _address("benchmarks:index", prefix)))
    items.append(("councils", _address("councils:directory", prefix)))
    if lead:
        items.append(("team", _address("accounts:teams", prefix)))
    if analyst:
        items.append(("networks", _address("councils:networks", prefix)))
    if user.is_staff:
        items.append(("administration", _address("admin:index", prefix)))
    items.append(("account", _address("accounts:account", prefix)))
    match = getattr(request, "resolver_match", None)
    section = None
    if match:
        section = (
            "assessments" if match.namespace == "assessments" else _SECTIONS.get(match.view_name)
        )
    return [
        {"label": str(_LABELS[key]), "url": url, "active": key == section} for key, url in items
    ]
