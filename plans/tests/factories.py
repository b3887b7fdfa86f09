"""A plan target with one action, as "Add to plan" makes it, for tests of the apps that read
plans (the API, exports, erasure, the sign-in rule)."""

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from assessments.models import Assessment
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment
from plans import services
from plans.models import Target


def target_with_action(
    assessment, *, by, dimension, owner, description: str, level: int, due_in_days: int = 30
) -> Target:
    """A target for `dimension` at `level` in a year, with one action `owner` owns."""
    today = timezone.localdate()
    return services.target_add(
        assessment=assessment,
        by=by,
        dimension=dimension,
        question=None,
        values=services.TargetInput(level, None, today + timedelta(days=365)),
        first_action=services.ActionInput(
            description, owner, "", today + timedelta(days=due_in_days)
        ),
        today=today,
    )


def planned_assessment(*, council, lead, owner, scores: Sequence[str] | str) -> Assessment:
    """The council's assessment in a new round, signed off with `scores` (one per dimension in
    order, or one for every dimension), and a plan target at level 3 in the first dimension with
    one action `owner` owns: "Name a data owner"."""
    round_ = AssessmentRoundFactory()
    dimensions = list(round_.framework.dimensions.order_by("order"))
    given = [scores] * len(dimensions) if isinstance(scores, str) else scores
    signed = scored_assessment(
        council=council, round=round_, scores=dict(zip(dimensions, given, strict=False))
    )
    target_with_action(
        signed,
        by=lead,
        dimension=dimensions[0],
        owner=owner,
        description="Name a data owner",
        level=3,
    )
    return signed
