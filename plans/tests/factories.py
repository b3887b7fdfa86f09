"""A plan target with one action, as "Add to plan" makes it, for tests of the apps that read
plans (the API, exports, erasure, the sign-in rule)."""

from datetime import timedelta

from django.utils import timezone

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
