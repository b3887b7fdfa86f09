"""A council (A, the personas' Hartlepool) with its 2025 to 2026 assessment signed off at level 2
on every question of a small framework, and the 2026 to 2027 round open."""

import datetime
from dataclasses import dataclass

import pytest

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentRound, Dimension, Question
from assessments.tests.factories import small_framework, submitted_assessment, two_rounds
from plans import services
from plans.models import Target

TODAY = datetime.date(2026, 6, 1)


@dataclass
class Planning:
    assessment: Assessment
    earlier: AssessmentRound
    latest: AssessmentRound
    dimensions: list[Dimension]
    questions: list[Question]


@pytest.fixture
def planning(personas) -> Planning:
    framework = small_framework(dimensions=2, questions=3)
    earlier, latest = two_rounds(framework)
    assessment = submitted_assessment(
        council=personas.council_a, round=earlier, lead=personas.lead_a, level=2
    )
    assessment_services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    assessment.refresh_from_db()
    return Planning(
        assessment=assessment,
        earlier=earlier,
        latest=latest,
        dimensions=list(Dimension.objects.for_framework(framework)),
        questions=list(
            Question.objects.filter(framework=framework).order_by("dimension__order", "order")
        ),
    )


def first_target(planning: Planning, lead) -> Target:
    """The lead's target of level 3 by the open round in the first barrier, with no action."""
    return services.target_add(
        assessment=planning.assessment,
        by=lead,
        dimension=planning.dimensions[0],
        question=None,
        values=services.TargetInput(3, planning.latest, None),
        first_action=None,
        today=TODAY,
    )
