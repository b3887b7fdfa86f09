"""Small factories for the rows benchmarks read: a framework's dimensions, a round, and the
frozen scores of signed-off assessments. Deliberately independent of assessments' factories."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    Dimension,
    DimensionScore,
    Framework,
    FrameworkStatus,
    RoundStatus,
)
from councils.models import Council
from councils.tests.factories import CouncilFactory


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"benchmark-framework-{n}")
    name = "Benchmark test framework"
    version = 1
    status = FrameworkStatus.PUBLISHED


class DimensionFactory(DjangoModelFactory):
    class Meta:
        model = Dimension

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    order = factory.Sequence(lambda n: n + 1)


class AssessmentRoundFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    name = factory.Sequence(lambda n: f"Benchmark round {n}")
    slug = factory.Sequence(lambda n: f"benchmark-round-{n}")
    framework = factory.SubFactory(FrameworkFactory)
    opens_on = datetime.date(2026, 4, 1)
    closes_on = datetime.date(2027, 3, 31)
    status = RoundStatus.OPEN


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    council = factory.SubFactory(CouncilFactory)
    round = factory.SubFactory(AssessmentRoundFactory)
    status = AssessmentStatus.SIGNED_OFF


def scored_assessment(
    *,
    council: Council,
    round: AssessmentRound,
    scores: dict[Dimension, str | None],
    status: str = AssessmentStatus.SIGNED_OFF,
) -> Assessment:
    """An assessment with a frozen DimensionScore row per dimension ("3.5", or None for none)."""
    assessment = AssessmentFactory(council=council, round=round, status=status)
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment,
            dimension=dimension,
            council=council,
            round=round,
            score=None if score is None else Decimal(score),
            coverage=Decimal("1.000") if score is not None else Decimal("0.000"),
            respondents=1,
        )
        for dimension, score in scores.items()
    )
    return assessment


def two_rounds(framework: Framework) -> tuple[AssessmentRound, AssessmentRound]:
    """(earlier, latest): "2025 to 2026" and "2026 to 2027" of one framework."""
    earlier = AssessmentRoundFactory(
        framework=framework,
        name="2025 to 2026",
        slug="2025-2026",
        opens_on=datetime.date(2025, 4, 1),
    )
    latest = AssessmentRoundFactory(
        framework=framework,
        name="2026 to 2027",
        slug="2026-2027",
        opens_on=datetime.date(2026, 4, 1),
    )
    return earlier, latest
