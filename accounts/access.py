"""Access helpers: the one way views load council and network objects for a person.

Each returns the object only if the person's memberships reach it, and raises Http404
otherwise, so a foreign council's objects look exactly like objects that do not exist.
"""

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from councils.models import Council, Network

from .models import CouncilMembership, CouncilRole, Invitation, NetworkMembership


def council_membership(
    user: Any, gss_code: str, roles: Iterable[str] | None = None
) -> CouncilMembership:
    memberships = CouncilMembership.objects.for_user(user).select_related("council")
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return get_object_or_404(memberships, council__gss_code=gss_code)


def council_for_lead(user: Any, gss_code: str) -> Council:
    return council_membership(user, gss_code, roles=[CouncilRole.LEAD]).council


def invitation_for_lead(user: Any, gss_code: str, pk: int) -> Invitation:
    council = council_for_lead(user, gss_code)
    return get_object_or_404(Invitation.objects.select_related("council"), pk=pk, council=council)


def network_for_analyst(user: Any, slug: str) -> Network:
    if not user.is_authenticated:
        raise Http404
    membership = get_object_or_404(
        NetworkMembership.objects.select_related("network"),
        user=user,
        user__is_active=True,
        network__slug=slug,
    )
    return membership.network


def is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def require_staff(user: Any) -> None:
    """Http404 for anyone but staff: for them the page does not exist."""
    if not is_staff(user):
        raise Http404


def council_for_sign_in_settings(user: Any, gss_code: str) -> Council:
    """A council whose sign-in settings this person may change: its lead's, or any for staff."""
    if is_staff(user):
        return get_object_or_404(Council, gss_code=gss_code)
    return council_for_lead(user, gss_code)
