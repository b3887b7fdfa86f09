from typing import Any

from django.db.models import Value
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import CouncilMembership, CouncilRole, NetworkMembership

# Not a council role: stands for "analyst of some network" among the roles read below.
_ANALYST = "network analyst"

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


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": _items(request)}


def _items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation, showing each person only the areas their roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # One query for both kinds of membership: this runs on every page.
    roles = set(
        CouncilMembership.objects.filter(user=user)
        .order_by()
        .values_list("role", flat=True)
        .union(
            NetworkMembership.objects.filter(user=user)
            .order_by()
            .annotate(role=Value(_ANALYST))
            .values_list("role", flat=True)
        )
    )
    items = [("home", reverse("portal:home"))]
    if roles - {_ANALYST}:
        items.append(("assessments", reverse("assessments:index")))
        items.append(("benchmarks", reverse("benchmarks:index")))
    items.append(("councils", reverse("councils:directory")))
    if CouncilRole.LEAD in roles:
        items.append(("team", reverse("accounts:teams")))
    if _ANALYST in roles:
        items.append(("networks", reverse("councils:networks")))
    if user.is_staff:
        items.append(("administration", reverse("admin:index")))
    items.append(("account", reverse("accounts:account")))
    match = getattr(request, "resolver_match", None)
    section = None
    if match:
        section = (
            "assessments" if match.namespace == "assessments" else _SECTIONS.get(match.view_name)
        )
    return [
        {"label": str(_LABELS[key]), "url": url, "active": key == section} for key, url in items
    ]
