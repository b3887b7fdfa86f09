"""assessments' answers to what lower apps announce."""

from typing import Any

from django.dispatch import receiver

from accounts.models import CouncilMembership
from accounts.signals import member_removed, person_erasing
from core.scrub import scrubbed
from councils.models import Council

from .models import AuditEvent, DimensionAssignment, Response, signed_off_through


@receiver(member_removed, sender=CouncilMembership)
def drop_assignments_of_removed_member(*, user_id: int, council: Council, **kwargs: Any) -> None:
    """Someone removed from a council is no longer given its barriers to answer. Their
    answers stay, and a signed-off assessment is history, so its assignments stay too."""
    DimensionAssignment.objects.filter(user_id=user_id, assessment__council=council).exclude(
        signed_off_through("assessment")
    ).delete()


@receiver(person_erasing)
def label_erased_respondent(*, user: Any, **kwargs: Any) -> None:
    """Their answers stay, so scores and the record stay true, as "Former officer 3" of each
    assessment: numbered in the order people were erased from it."""
    labels: dict[int, str] = {}
    for response in Response.objects.select_for_update().filter(respondent=user):
        taken = Response.objects.filter(
            assessment_id=response.assessment_id, respondent__isnull=True
        ).count()
        response.respondent = None
        response.respondent_label = f"Former officer {taken + 1}"
        response.save(update_fields=["respondent", "respondent_label"])
        labels[response.assessment_id] = response.respondent_label
    # The record of who was asked to answer what names people by email address.
    councils = list(user.council_memberships.values_list("council_id", flat=True))
    for event in AuditEvent.objects.filter(assessment__council_id__in=councils).only(
        "assessment_id", "before", "after", "note"
    ):
        label = labels.get(event.assessment_id, "A former team member")
        found = (user.email, user.get_full_name())
        if changed := scrubbed(event, ("before", "after", "note"), found, label):
            AuditEvent.objects.filter(pk=event.pk).update(**changed)
