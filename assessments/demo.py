"""Demonstration assessments for a local portal: two past rounds and one in progress.

Deterministic: every figure comes from a random generator seeded by the council's GSS code,
so two machines show the same demo. Every round made here has is_demo=True and a name that
says it is demonstration data. Never used in production (portal.demo refuses there).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import CouncilMembership, CouncilRole, User
from councils.models import Council

from . import scoring, services
from .models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    AuditAction,
    AuditEvent,
    Confidence,
    DimensionScore,
    Framework,
    Question,
    Response,
    ResponseStatus,
    RoundStatus,
)

SEED = 2026


@dataclass(frozen=True)
class DemoRound:
    name: str
    name_cy: str
    slug: str
    opens_on: datetime.date
    closes_on: datetime.date
    status: str
    signed_off_share: float
    # How much, on average, councils have improved since the first round.
    gain: float


ROUNDS = [
    DemoRound(
        "2024 to 2025 (demonstration)",
        "2024 i 2025 (arddangosiad)",
        "demo-2024-2025",
        datetime.date(2024, 5, 1),
        datetime.date(2025, 2, 28),
        RoundStatus.CLOSED,
        0.80,
        0.0,
    ),
    DemoRound(
        "2025 to 2026 (demonstration)",
        "2025 i 2026 (arddangosiad)",
        "demo-2025-2026",
        datetime.date(2025, 5, 1),
        datetime.date(2026, 2, 28),
        RoundStatus.CLOSED,
        0.85,
        0.2,
    ),
    DemoRound(
        "2026 to 2027 (demonstration)",
        "2026 i 2027 (arddangosiad)",
        "demo-2026-2027",
        datetime.date(2026, 5, 1),
        datetime.date(2027, 2, 28),
        RoundStatus.OPEN,
        0.08,
        0.35,
    ),
]


class _Profile:
    """One council's made-up maturity: a base level, and a lean for each dimension."""

    def __init__(self, council: Council, dimension_codes: list[str]) -> None:
        rng = random.Random(f"{SEED}:{council.gss_code}")
        self.base = rng.uniform(1.5, 3.7)
        self.lean = {code: rng.gauss(0, 0.45) for code in dimension_codes}
        self.rng = rng

    def answer(
        self, question: Question, dimension_code: str, gain: float
    ) -> tuple[str, int | None]:
        roll = self.rng.random()
        if roll < 0.03:
            return AnswerStatus.NOT_APPLICABLE, None
        if roll < 0.05:
            return AnswerStatus.DONT_KNOW, None
        value = self.base + self.lean[dimension_code] + gain + self.rng.gauss(0, 0.55)
        return AnswerStatus.ANSWERED, min(5, max(1, round(value)))


def demo_assessments_load(*, lead: User, officer: User, executive: User) -> str:
    """Create the demonstration rounds once. Returns a one-line summary."""
    if AssessmentRound.objects.filter(is_demo=True).exists():
        return "Demonstration assessments are already loaded."
    framework = Framework.objects.published().order_by("-version").first()
    if framework is None:
        raise ValueError("Import the framework first: manage.py import_framework")
    questions = list(Question.objects.for_framework(framework).select_related("dimension"))
    codes = sorted({q.dimension.code for q in questions})
    councils = list(Council.objects.order_by("gss_code"))
    profiles = {c.pk: _Profile(c, codes) for c in councils}
    home = CouncilMembership.objects.get(user=lead, role=CouncilRole.LEAD).council

    signed_off = 0
    with transaction.atomic():
        for demo in ROUNDS:
            round_ = AssessmentRound.objects.create(
                name_en=demo.name,
                name_cy=demo.name_cy,
                slug=demo.slug,
                framework=framework,
                opens_on=demo.opens_on,
                closes_on=demo.closes_on,
                status=demo.status,
                is_demo=True,
            )
            signed_off += _signed_off_assessments(round_, demo, councils, profiles, questions, home)
        current = AssessmentRound.objects.get(slug=ROUNDS[-1].slug)
        _home_council_in_progress(current, home, profiles[home.pk], questions, lead, officer)
        _others_in_progress(current, councils, exclude=home)
    return (
        f"Demonstration assessments: {len(ROUNDS)} rounds, {signed_off} signed off, "
        f"{home.short_name} in progress in {current.name}."
    )


def _signed_off_assessments(
    round_: AssessmentRound,
    demo: DemoRound,
    councils: list[Council],
    profiles: dict[int, _Profile],
    questions: list[Question],
    home: Council,
) -> int:
    """Signed-off assessments for a share of councils. The demo council signed off every
    past round, so its people have results to see, and is still working on the open one."""

    def takes_part(council: Council) -> bool:
        if council == home:
            return demo.status != RoundStatus.OPEN
        draw = random.Random(f"{SEED}:{council.gss_code}:{demo.slug}").random()
        return draw < demo.signed_off_share

    taking_part = [c for c in councils if takes_part(c)]
    when = timezone.make_aware(datetime.datetime.combine(demo.closes_on, datetime.time(12)))
    assessments = Assessment.objects.bulk_create(
        Assessment(
            council=c,
            round=round_,
            status=AssessmentStatus.SIGNED_OFF,
            created_at=when,
            submitted_at=when,
            signed_off_at=when,
        )
        for c in taking_part
    )
    agreed: list[AgreedAnswer] = []
    scores: list[DimensionScore] = []
    for assessment in assessments:
        profile = profiles[assessment.council_id]
        by_dimension: dict[int, list[tuple[str, int | None]]] = {}
        for question in questions:
            status, level = profile.answer(question, question.dimension.code, demo.gain)
            agreed.append(
                AgreedAnswer(
                    assessment=assessment,
                    question=question,
                    status=status,
                    level=level,
                    rationale="Demonstration data.",
                )
            )
            by_dimension.setdefault(question.dimension_id, []).append((status, level))
        for dimension_id, answers in by_dimension.items():
            result = scoring.dimension_result(
                [level for _, level in answers],
                not_applicable=sum(
                    1 for status, _ in answers if status == AnswerStatus.NOT_APPLICABLE
                ),
            )
            scores.append(
                DimensionScore(
                    assessment=assessment,
                    dimension_id=dimension_id,
                    council_id=assessment.council_id,
                    round=round_,
                    score=result.score,
                    band=result.band,
                    coverage=result.coverage,
                    respondents=profile.rng.randint(2, 6),
                    spread=Decimal(profile.rng.randint(0, 150)) / 100,
                    frozen_at=when,
                )
            )
    AgreedAnswer.objects.bulk_create(agreed, batch_size=2000)
    DimensionScore.objects.bulk_create(scores, batch_size=2000)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            assessment=a,
            action=AuditAction.SIGNED_OFF,
            at=when,
            after=AssessmentStatus.SIGNED_OFF,
            note="Demonstration data.",
        )
        for a in assessments
    )
    return len(assessments)


def _home_council_in_progress(
    round_: AssessmentRound,
    council: Council,
    profile: _Profile,
    questions: list[Question],
    lead: User,
    officer: User,
) -> None:
    """The demo council: two colleagues have submitted, the demo officer is part way through."""
    assessment = services.assessment_start(council=council, round=round_, by=lead)
    colleagues = []
    for email, name in [
        ("priya.data@hartlepool.example", "Priya Data (demo colleague)"),
        ("tom.ict@hartlepool.example", "Tom ICT (demo colleague)"),
    ]:
        colleague, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            colleague.set_unusable_password()
            colleague.save(update_fields=["password"])
        CouncilMembership.objects.get_or_create(
            user=colleague, council=council, defaults={"role": CouncilRole.OFFICER}
        )
        colleagues.append(colleague)

    confidences = list(Confidence.values)
    for colleague in [*colleagues, officer]:
        response = Response.objects.create(assessment=assessment, respondent=colleague)
        is_demo_officer = colleague == officer
        answers = []
        for question in questions:
            # The demo officer has done the first three dimensions only.
            if is_demo_officer and question.dimension.order > 3:
                continue
            status, level = profile.answer(question, question.dimension.code, 0.35)
            answers.append(
                Answer(
                    response=response,
                    question=question,
                    status=status,
                    level=level,
                    confidence=profile.rng.choice(confidences),
                    evidence_note="Demonstration data." if profile.rng.random() < 0.2 else "",
                )
            )
        Answer.objects.bulk_create(answers)
        if not is_demo_officer:
            Response.objects.filter(pk=response.pk).update(
                status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
            )


def _others_in_progress(
    round_: AssessmentRound, councils: list[Council], *, exclude: Council
) -> None:
    """A handful of other councils have started the current round."""
    started = [
        c
        for c in councils
        if c != exclude and random.Random(f"{SEED}:{c.gss_code}:started").random() < 0.05
    ]
    already = set(Assessment.objects.filter(round=round_).values_list("council_id", flat=True))
    Assessment.objects.bulk_create(
        Assessment(council=c, round=round_) for c in started if c.pk not in already
    )
