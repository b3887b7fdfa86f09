"""What the API returns, as plain dicts for its schemas, each in a fixed number of queries.
Every read starts from the token's council."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from assessments.models import AgreedAnswer, AnswerStatus, Assessment, Dimension, DimensionScore
from assessments.scoring import level_band, overall_score
from benchmarks.dashboard import council_positions
from councils.models import Council
from plans import reads as plan_reads
from plans.models import Plan
from reports.models import OpenDataEdition

ANSWERS: dict[str, str] = {AnswerStatus.ANSWERED: "level"}


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def rounds(council: Council) -> list[dict[str, Any]]:
    assessments = (
        Assessment.objects.for_council(council)
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
    )
    return [
        {
            "slug": a.round.slug,
            "name": a.round.name,
            "opens_on": a.round.opens_on,
            "closes_on": a.round.closes_on,
            "assessment_status": a.status,
            "signed_off_at": a.signed_off_at,
        }
        for a in assessments
    ]


def _signed_off(council: Council, slug: str) -> Assessment | None:
    return (
        Assessment.objects.signed_off()
        .for_council(council)
        .select_related("round")
        .filter(round__slug=slug)
        .first()
    )


def scores(council: Council, slug: str) -> dict[str, Any] | None:
    """The frozen scores of a signed-off round, each barrier with its agreed answers."""
    assessment = _signed_off(council, slug)
    if assessment is None:
        return None
    frozen = {s.dimension_id: s for s in DimensionScore.objects.filter(assessment=assessment)}
    agreed = {
        a.question_id: a
        for a in AgreedAnswer.objects.filter(assessment=assessment).only(
            "question_id", "status", "level", "rationale"
        )
    }
    dimensions = Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related(
        "questions"
    )
    barriers = []
    for dimension in dimensions:
        score = frozen.get(dimension.pk)
        questions = []
        for question in sorted(dimension.questions.all(), key=lambda q: q.order):
            answer = agreed.get(question.pk)
            questions.append(
                {
                    "code": question.code,
                    "statement": question.statement,
                    "answer": ANSWERS.get(str(answer.status), str(answer.status)) if answer else "",
                    "level": answer.level if answer else None,
                    "reason": answer.rationale if answer else "",
                }
            )
        barriers.append(
            {
                "code": dimension.code,
                "name": dimension.name,
                "score": _number(score.score) if score else None,
                "level": score.band if score else None,
                "coverage": float(score.coverage) if score else 0.0,
                "respondents": score.respondents if score else 0,
                "questions": questions,
            }
        )
    overall = overall_score([s.score for s in frozen.values() if s.score is not None])
    return {
        "round": assessment.round.slug,
        "signed_off_at": assessment.signed_off_at,
        "overall_score": _number(overall),
        "overall_level": level_band(overall),
        "barriers": barriers,
    }


def positions(council: Council, slug: str) -> list[dict[str, Any]] | None:
    assessment = _signed_off(council, slug)
    if assessment is None:
        return None
    groups = []
    for found in council_positions(council, assessment):
        rows = []
        for subject in found.subjects:
            figures = subject.figures if subject.published else None
            position = subject.position
            rows.append(
                {
                    "barrier": subject.code,
                    "name": subject.name,
                    "score": _number(subject.score),
                    "withheld": "" if figures else _withheld(subject),
                    "councils": figures.councils if figures else None,
                    "median": _number(figures.median) if figures else None,
                    "lower_quartile": _number(figures.q1) if figures else None,
                    "upper_quartile": _number(figures.q3) if figures else None,
                    "mean": _number(figures.mean) if figures else None,
                    "rank": position.rank if position else None,
                    "percentile": _number(position.percentile) if position else None,
                }
            )
        groups.append(
            {
                "slug": found.group.slug,
                "name": found.group.name,
                "kind": found.group.kind,
                "positions": rows,
            }
        )
    return groups


def _withheld(subject: Any) -> str:
    if subject.figures is None:
        return "no figures released yet"
    return "too few councils" if subject.figures.too_small else "withheld to protect small groups"


def plan(council: Council, slug: str) -> dict[str, Any] | None:
    found = (
        Plan.objects.filter(council=council, assessment__round__slug=slug)
        .select_related("assessment__round")
        .first()
    )
    if found is None:
        return None
    page = plan_reads.plan_page(found, today=timezone.localdate())
    return {
        "round": found.assessment.round.slug,
        "status": found.status,
        "approved_at": found.approved_at,
        "targets": [
            {
                "barrier": row.target.dimension.name,
                "question": row.target.question.code if row.target.question else "",
                "starting_level": row.target.starting_level,
                "target_level": row.target.target_level,
                "by": row.target.by_when,
                "outcome": row.target.outcome,
                "achieved_level": row.target.achieved_level,
                "actions": [
                    {
                        "description": action.description,
                        "owner": action.owner_label,
                        "due_on": action.due_on,
                        "status": action.status,
                        "blocked_reason": action.blocked_reason,
                    }
                    for action in row.actions
                ],
            }
            for row in page.rows
        ],
    }


def open_data_editions() -> list[dict[str, Any]]:
    editions = (
        OpenDataEdition.objects.without_files()
        .select_related("round")
        .order_by("-round__opens_on", "round_id", "-number")
    )
    return [
        {
            "round": e.round.slug,
            "round_name": e.round.name,
            "edition": e.number,
            "published_at": e.published_at,
        }
        for e in editions
    ]
