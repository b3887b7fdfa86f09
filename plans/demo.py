"""A demonstration plan for a local portal: the home council's plan from its first demo round,
approved, worked on, and checked against its second, partly achieved. Deterministic; made once
through the services, on the dates the demo rounds had. Never used in production (portal.demo
refuses there)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import AgreedAnswer, AnswerStatus, Assessment, Dimension
from councils.models import Council

from . import services
from .models import ActionStatus, Plan, PlanEventAction, ProgressUpdate
from .services import ActionInput, TargetInput


def demo_plan_load(
    *, council: Council, lead: User, officer: User, executive: User, priority_code: str
) -> str:
    """The plan, aimed at `priority_code` (the council's top priority on its dashboard)."""
    assessments = list(
        Assessment.objects.signed_off()
        .for_council(council)
        .filter(round__is_demo=True)
        .select_related("round", "round__framework")
        .order_by("round__opens_on")
    )
    if len(assessments) < 2:
        return "No demonstration plan: the council has fewer than two signed-off rounds."
    earlier, later = assessments[0], assessments[1]
    if Plan.objects.filter(assessment=earlier).exists():
        return "The demonstration plan is already loaded."
    dimension = Dimension.objects.get(framework=earlier.round.framework, code=priority_code)
    before, after = _levels(earlier, dimension), _levels(later, dimension)
    questions = [q for q, level in before.items() if level is not None and level < 5]
    rose = next((q for q in questions if (after.get(q) or 0) > (before[q] or 0)), None)
    stuck = next((q for q in questions if (after.get(q) or 0) <= (before[q] or 0)), None)
    # The plan was made a fortnight after the round closed, on that day's rules.
    today = earlier.round.closes_on + datetime.timedelta(days=14)
    when = lambda days: today + datetime.timedelta(days=days)  # noqa: E731

    with transaction.atomic():
        barrier = services.current_level(earlier, dimension, None)
        steps: list[tuple[int | None, int, list[ActionInput]]] = []
        if barrier is not None and barrier < 5:
            steps.append(
                (
                    None,
                    barrier + 1,
                    [
                        ActionInput(
                            f"Agree who leads on {dimension.name.lower()} across the council",
                            executive,
                            "",
                            when(60),
                        ),
                        ActionInput(
                            f"Set up a cross-service group on {dimension.name.lower()}",
                            officer,
                            "",
                            when(120),
                        ),
                    ],
                )
            )
        for asked, wording, owner, owner_name in (
            (rose, "Write down and share how we do this now", officer, ""),
            (
                stuck,
                "Find a partner council that does this well and visit them",
                None,
                "Head of IT",
            ),
        ):
            if asked is not None:
                steps.append(
                    (
                        asked,
                        (before[asked] or 0) + 1,
                        [ActionInput(wording, owner, owner_name, when(150))],
                    )
                )
        for question_id, level, inputs in steps:
            target = services.target_add(
                assessment=earlier,
                by=lead,
                dimension=dimension,
                question=dimension.questions.get(pk=question_id) if question_id else None,
                values=TargetInput(level, later.round, None),
                first_action=inputs[0],
                today=today,
            )
            for values in inputs[1:]:
                services.action_add(target=target, by=lead, values=values, today=today)
        plan = Plan.objects.get(assessment=earlier)
        services.plan_approve(plan=plan, by=executive)
        progress = [
            ActionStatus.DONE,
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
            ActionStatus.BLOCKED,
        ]
        for action, status in zip(plan.actions.order_by("pk"), progress, strict=False):
            services.action_progress(
                action=action,
                by=lead,
                status=status,
                blocked_reason="Waiting for the new IT contract"
                if status == ActionStatus.BLOCKED
                else "",
                note="Demonstration update.",
                expected_version=action.version,
            )
        services.plan_check(assessment=later)
        # Dated as the demo rounds were, not today.
        made = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10)))
        checked = later.signed_off_at or made
        Plan.objects.filter(pk=plan.pk).update(created_at=made, approved_at=made)
        plan.events.exclude(action=PlanEventAction.CHECKED).update(at=made)
        plan.events.filter(action=PlanEventAction.CHECKED).update(at=checked)
        ProgressUpdate.objects.filter(action__plan=plan).update(
            at=made + datetime.timedelta(days=150)
        )
    plan.refresh_from_db()
    met = plan.targets.filter(outcome="met").count()
    return (
        f"Demonstration plan: {plan.targets.count()} targets from {earlier.round.name}, "
        f"{met} met in {later.round.name}."
    )


def _levels(assessment: Assessment, dimension: Dimension) -> dict[int, int | None]:
    """{question id: agreed level, None for not applicable or don't know}, in question order."""
    return {
        question_id: level if status == AnswerStatus.ANSWERED else None
        for question_id, status, level in AgreedAnswer.objects.filter(
            assessment=assessment, question__dimension=dimension
        )
        .order_by("question__order")
        .values_list("question_id", "status", "level")
    }
