"""assessments' answers to what lower apps announce."""

from typing import Any

from django.dispatch import receiver

from accounts.models import CouncilMembership
from accounts.signals import member_removed
from councils.models import Council

from .models import DimensionAssignment, signed_off_through


@receiver(member_removed, sender=CouncilMembership)
def drop_assignments_of_removed_member(*, user_id: int, council: Council, **kwargs: Any) -> None:
    """Someone removed from a council is no longer given its barriers to answer. Their
    answers stay, and a signed-off assessment is history, so its assignments stay too."""
    DimensionAssignment.objects.filter(user_id=user_id, assessment__council=council).exclude(
        signed_off_through("assessment")
    ).delete()
