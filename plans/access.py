"""The one way views load plans: through the person's council roles. A council the person is
not a member of, a round it has not signed off, or a target or action of another plan is a 404."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.shortcuts import get_object_or_404

from accounts.access import council_membership
from assessments.models import Assessment

from .models import Action, Plan, Target


def assessment_for(
    user: Any, gss_code: str, round_slug: str, roles: Iterable[str] | None = None
) -> tuple[Assessment, str]:
    """The council's signed-off assessment in that round, and the person's role there."""
    membership = council_membership(user, gss_code, roles)
    assessment = get_object_or_404(
        Assessment.objects.signed_off()
        .for_council(membership.council)
        .select_related("council", "round", "round__framework"),
        round__slug=round_slug,
    )
    return assessment, membership.role


def plan_of(assessment: Assessment) -> Plan | None:
    plan = Plan.objects.filter(assessment=assessment).select_related("approved_by").first()
    if plan is not None:
        plan.assessment = assessment
    return plan


def target_in(plan: Plan | None, pk: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("dimension", "question", "target_round", "plan"),
        plan=plan,
        pk=pk,
    )


def action_in(plan: Plan | None, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("target__dimension", "target__question", "owner", "plan"),
        plan=plan,
        pk=pk,
    )
