from typing import Any

from django.db.models import Value
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, NetworkMembership

# Not a council role: stands for "analyst of some network" among the roles read below.
_ANALYST = "network analyst"

# Which navigation item each page belongs to, by "namespace:url_name".
_SECTIONS = {
    "portal:home": "Home",
    "councils:directory": "Councils",
    "councils:detail": "Councils",
    "councils:networks": "Networks",
    "councils:network-detail": "Networks",
    "benchmarks:index": "Benchmarks",
    "benchmarks:council": "Benchmarks",
    "benchmarks:network": "Networks",
    "reports:council": "Benchmarks",
    "reports:network": "Networks",
    "accounts:teams": "Your team",
    "accounts:team": "Your team",
    "accounts:invite": "Your team",
    "accounts:account": "Your account",
    "accounts:password-change": "Your account",
    "accounts:password-change-done": "Your account",
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
    items = [("Home", reverse("portal:home"))]
    if roles - {_ANALYST}:
        items.append(("Assessments", reverse("assessments:index")))
        items.append(("Benchmarks", reverse("benchmarks:index")))
    items.append(("Councils", reverse("councils:directory")))
    if CouncilRole.LEAD in roles:
        items.append(("Your team", reverse("accounts:teams")))
    if _ANALYST in roles:
        items.append(("Networks", reverse("councils:networks")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    items.append(("Your account", reverse("accounts:account")))
    match = getattr(request, "resolver_match", None)
    section = None
    if match:
        section = (
            "Assessments" if match.namespace == "assessments" else _SECTIONS.get(match.view_name)
        )
    return [{"label": label, "url": url, "active": label == section} for label, url in items]
