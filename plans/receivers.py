"""plans' answers to what lower apps announce: a sign-off checks the last plan against it; a
reopening withdraws that check; someone leaving a council gives up their open actions. Each
runs inside the sender's own transaction."""

from typing import Any

from django.dispatch import receiver

from accounts.models import CouncilMembership
from accounts.signals import member_removed, person_erasing
from assessments.models import Assessment
from assessments.signals import assessment_reopened, assessment_signed_off
from councils.models import Council

from . import services


@receiver(assessment_signed_off, sender=Assessment)
def check_last_plan(*, assessment: Assessment, **kwargs: Any) -> None:
    services.plan_check(assessment=assessment)


@receiver(assessment_reopened, sender=Assessment)
def withdraw_plan_check(*, assessment: Assessment, **kwargs: Any) -> None:
    services.plan_uncheck(assessment=assessment)


@receiver(member_removed, sender=CouncilMembership)
def release_actions_of_removed_member(*, user_id: int, council: Council, **kwargs: Any) -> None:
    services.actions_release_owner(user_id=user_id, council=council)


@receiver(person_erasing)
def forget_erased_person(*, user: Any, **kwargs: Any) -> None:
    services.person_forget(user=user)
