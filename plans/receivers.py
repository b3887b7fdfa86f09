"""plans' answers to what assessments announce: a sign-off checks the last plan against it;
a reopening withdraws that check. Both run inside the assessment's own transaction."""

from typing import Any

from django.dispatch import receiver

from assessments.models import Assessment
from assessments.signals import assessment_reopened, assessment_signed_off

from . import services


@receiver(assessment_signed_off, sender=Assessment)
def check_last_plan(*, assessment: Assessment, **kwargs: Any) -> None:
    services.plan_check(assessment=assessment)


@receiver(assessment_reopened, sender=Assessment)
def withdraw_plan_check(*, assessment: Assessment, **kwargs: Any) -> None:
    services.plan_uncheck(assessment=assessment)
