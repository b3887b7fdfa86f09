import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from assessments import services
from assessments.models import (
    AnswerStatus,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    Dimension,
    DimensionScore,
    Framework,
    FrameworkStatus,
    LevelDescriptor,
    Question,
    RoundStatus,
)
from assessments.services import AnswerInput
from councils.models import Council
from councils.tests.factories import CouncilFactory


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    slug = "test-framework"
    name = "Test framework"
    version = factory.Sequence(lambda n: n + 1)
    status = FrameworkStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class DimensionFactory(DjangoModelFactory):
    class Meta:
        model = Dimension

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Barrier {n}")
    order = factory.Sequence(lambda n: n + 1)


def small_framework(*, dimensions: int = 2, questions: int = 3, **kwargs) -> Framework:
    """A published framework: dimensions D1.. with questions Dn-01.. and 5 descriptors each."""
    framework = FrameworkFactory(**kwargs)
    for d in range(1, dimensions + 1):
        dimension = Dimension.objects.create(
            framework=framework, code=f"DIM{d}", name=f"Barrier {d}", order=d
        )
        for q in range(1, questions + 1):
            question = Question.objects.create(
                framework=framework,
                dimension=dimension,
                code=f"DIM{d}-{q:02d}",
                statement=f"Statement {d}.{q}",
                guidance="What good looks like.",
                order=q,
            )
            LevelDescriptor.objects.bulk_create(
                LevelDescriptor(question=question, level=level, description=f"Level {level}")
                for level in range(1, 6)
            )
    return framework


class AssessmentRoundFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    name = factory.Sequence(lambda n: f"{2026 + n} to {2027 + n}")
    name_cy = factory.Sequence(lambda n: f"{2026 + n} i {2027 + n}")
    slug = factory.Sequence(lambda n: f"{2026 + n}-{2027 + n}")
    framework = factory.LazyFunction(small_framework)
    opens_on = datetime.date(2026, 4, 1)
    closes_on = datetime.date(2027, 3, 31)
    status = RoundStatus.OPEN


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    council = factory.SubFactory(CouncilFactory)
    round = factory.SubFactory(AssessmentRoundFactory)


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


def scored_assessment(
    *,
    council: Council,
    round: AssessmentRound,
    scores: dict[Dimension, str | None],
    status: str = AssessmentStatus.SIGNED_OFF,
) -> Assessment:
    """An assessment with a frozen DimensionScore row per dimension ("3.5", or None for none),
    as sign-off leaves it, without going through the services: the rows benchmarks read."""
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


def submitted_assessment(*, council, round: AssessmentRound, lead, level: int = 3) -> Assessment:
    """The council's assessment, started, agreed (every question at `level`) and submitted by
    its lead through the services, ready for the chief executive's sign-off."""
    assessment = services.assessment_start(council=council, round=round, by=lead)
    services.agreed_answers_save(
        assessment=assessment,
        answers={
            q.pk: services.AgreedInput(AnswerStatus.ANSWERED, level, "", 0)
            for q in Question.objects.filter(framework=round.framework)
        },
        by=lead,
    )
    services.assessment_submit(assessment=assessment, by=lead)
    return assessment


def answered_assessment(*, council, lead, officer, answer: AnswerInput) -> Assessment:
    """The council's assessment in a new round, started by its lead, with `officer`'s answer to
    the first question of its first dimension."""
    assessment = services.assessment_start(council=council, round=AssessmentRoundFactory(), by=lead)
    first = dims(assessment)[0]
    services.answers_save(
        response=services.response_for(assessment=assessment, user=officer),
        dimension=first,
        answers={questions(first)[0].pk: answer},
    )
    return assessment


def level(n: int, **extra) -> AnswerInput:
    """An officer's answer giving level n."""
    return AnswerInput(status=AnswerStatus.ANSWERED, level=n, **extra)


def dims(assessment: Assessment) -> list[Dimension]:
    return list(Dimension.objects.filter(framework=assessment.round.framework).order_by("order"))


def questions(dimension: Dimension) -> list[Question]:
    return list(dimension.questions.order_by("order"))
