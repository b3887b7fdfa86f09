"""The one way views load assessments: through the person's council roles (or staff status).

Anything the person's roles do not reach is a 404, exactly like something that does not exist.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import CouncilMembership

from .models import Assessment


def _assessments() -> Any:
    return Assessment.objects.select_related("council", "round", "round__framework")


def assessment_for_member(
    user: Any, pk: int, roles: Iterable[str] | None = None
) -> tuple[Assessment, str]:
    """The assessment and the person's role at its council, in one query."""
    # Someone signed out or deactivated has no role anywhere: no query to find that out.
    if not (user.is_authenticated and user.is_active):
        raise Http404
    # The person's own rows, without for_user()'s join to check they are active: that was
    # checked just above, and the join was a third of the cost of a query every officer's page
    # makes.
    memberships = CouncilMembership.objects.filter(
        user_id=user.pk, council_id=OuterRef("council_id")
    )
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    # By id: the model's ordering would join the councils and users for nothing.
    role = Subquery(memberships.order_by("pk").values("role")[:1])
    assessment = get_object_or_404(_assessments().annotate(member_role=role), pk=pk)
    if assessment.member_role is None:
        raise Http404
    return assessment, assessment.member_role


def assessment_for_staff(user: Any, pk: int) -> Assessment:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404
    return get_object_or_404(_assessments(), pk=pk)
