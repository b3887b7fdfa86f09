"""What the lead's, the chief executive's and staff's pages show, read from the database.

No requests and no responses here: review_views.py loads the assessment through `access`,
calls these and renders. Every number comes from `scoring`, and every answer is spelled by
`wording.answer_text`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Prefetch
from django.utils.translation import gettext

from accounts.models import CouncilMembership, User

from . import scoring, services
from .models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    Confidence,
    Dimension,
    Question,
    Response,
    ResponseStatus,
)
from .services import AgreedInput, Conflict
from .wording import answer_text

# Display helpers ------------------------------------------------------------------------------


def band_text(band: int | None) -> str:
    """A level band as tables show it: "3 Defined", or "No score"."""
    return f"{band} {scoring.LEVEL_NAMES[band]}" if band else gettext("No score")


def percent(share: Decimal) -> int:
    return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _level(status: str, level: int | None) -> int | None:
    return level if status == AnswerStatus.ANSWERED else None


def agreeing_open(assessment: Assessment) -> bool:
    """The lead can change agreed answers only while the assessment is with them."""
    return not assessment.is_read_only and assessment.status == AssessmentStatus.IN_PROGRESS


def dimensions_with_questions(assessment: Assessment) -> list[Dimension]:
    """The framework's dimensions in order, each with its questions in order (two queries)."""
    return list(
        Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order"))
        )
    )


# What officers answered -----------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerAnswer:
    status: str
    level: int | None
    confidence: str
    submitted: bool
    name: str = ""
    note: str = ""
    url: str = ""

    @property
    def text(self) -> str:
        return answer_text(self.status, self.level)

    @property
    def confidence_text(self) -> str:
        if not self.confidence:
            return gettext("Not given")
        return str(Confidence(self.confidence).label)

    @property
    def safe_url(self) -> str:
        """The evidence link, only if it is a web address (a link is shown for no other)."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else ""


@dataclass
class OfficerSummary:
    """How the council's officers answered one question, in progress or submitted."""

    answers: list[OfficerAnswer] = field(default_factory=list)

    @cached_property
    def levels(self) -> list[int | None]:
        return [_level(a.status, a.level) for a in self.answers]

    @property
    def respondents(self) -> int:
        return len(self.answers)

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.answers if a.submitted)

    @property
    def in_progress(self) -> int:
        return self.respondents - self.submitted

    @property
    def counts(self) -> list[tuple[str, int]]:
        statuses = Counter(a.status for a in self.answers)
        return [
            (f"{level} {scoring.LEVEL_NAMES[level]}", count)
            for level, count in scoring.level_counts(self.levels).items()
        ] + [
            (gettext("Not applicable"), statuses[AnswerStatus.NOT_APPLICABLE]),
            (gettext("Don't know"), statuses[AnswerStatus.DONT_KNOW]),
        ]

    @property
    def confidence(self) -> list[tuple[str, int]]:
        given = Counter(a.confidence for a in self.answers)
        counts = [(str(label), given[value]) for value, label in reversed(Confidence.choices)]
        if given[""]:
            counts.append((gettext("Not given"), given[""]))
        return counts

    @property
    def disagree(self) -> bool:
        return scoring.is_disagreement(self.levels)

    @property
    def spread(self) -> int | None:
        return scoring.question_spread(self.levels)

    @property
    def suggested(self) -> int | None:
        return scoring.suggested_level(self.levels)

    def _at(self, level: int | None) -> list[str]:
        return [a.name for a in self.answers if _level(a.status, a.level) == level]

    @property
    def ends(self) -> tuple[tuple[int, list[str]], tuple[int, list[str]]] | None:
        """Who is at each end of the spread: (lowest level, names), (highest level, names)."""
        given = [level for level in self.levels if level is not None]
        if not given or min(given) == max(given):
            return None
        return (min(given), self._at(min(given))), (max(given), self._at(max(given)))


def officer_summaries(
    assessment: Assessment, questions: list[Question] | None = None
) -> defaultdict[int, OfficerSummary]:
    """Officers' answers by question id: every response that answered, submitted or not."""
    answers = Answer.objects.filter(response__assessment=assessment)
    if questions is not None:
        answers = answers.filter(question__in=questions)
    summaries: defaultdict[int, OfficerSummary] = defaultdict(OfficerSummary)
    rows = answers.order_by(
        "response__respondent__full_name", "response__respondent__email"
    ).values_list(
        "question_id",
        "status",
        "level",
        "confidence",
        "response__status",
        "response__respondent__full_name",
        "response__respondent__email",
        "response__respondent_label",
        "evidence_note",
        "evidence_url",
    )
    for question_id, status, level, confidence, response_status, name, email, *rest in rows:
        label, note, url = rest
        summaries[question_id].answers.append(
            OfficerAnswer(
                status,
                level,
                confidence,
                response_status == ResponseStatus.SUBMITTED,
                # An erased officer's answers stay, under their label ("Former officer 3").
                name=name or email or label,
                note=note,
                url=url,
            )
        )
    return summaries


# The agreed answers and the scores they give --------------------------------------------------


@dataclass
class DimensionReview:
    """One dimension's agreed answers, and the score they would give."""

    dimension: Dimension
    rows: list[dict[str, Any]]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def agreed(self) -> int:
        return sum(1 for row in self.rows if row["agreed"] is not None)

    @cached_property
    def levels(self) -> list[int | None]:
        return [
            _level(row["agreed"].status, row["agreed"].level) if row["agreed"] else None
            for row in self.rows
        ]

    @cached_property
    def result(self) -> scoring.DimensionResult:
        # The same rule that freezes the scores at sign-off (services.scores_freeze).
        return scoring.dimension_result(
            self.levels,
            not_applicable=sum(
                1
                for row in self.rows
                if row["agreed"] and row["agreed"].status == AnswerStatus.NOT_APPLICABLE
            ),
        )

    @property
    def score(self) -> Decimal | None:
        return self.result.score

    @property
    def band(self) -> str:
        return band_text(self.result.band)

    @property
    def coverage_percent(self) -> int:
        return percent(self.result.coverage)


def dimension_reviews(assessment: Assessment) -> list[DimensionReview]:
    agreed = {
        a.question_id: a for a in assessment.agreed_answers.select_related("updated_by").all()
    }
    reviews = []
    for dimension in dimensions_with_questions(assessment):
        rows = []
        for question in dimension.questions.all():
            answer = agreed.get(question.pk)
            rows.append(
                {
                    "question": question,
                    "agreed": answer,
                    "text": answer_text(answer.status, answer.level) if answer else "",
                }
            )
        reviews.append(DimensionReview(dimension, rows))
    return reviews


# Progress and assignments ---------------------------------------------------------------------


def answering_members(assessment: Assessment) -> list[CouncilMembership]:
    return list(
        CouncilMembership.objects.filter(
            council_id=assessment.council_id, role__in=services.ANSWERING_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def progress_tables(
    assessment: Assessment,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who has responded and how far; how many responses have finished each dimension."""
    dimensions = list(
        Dimension.objects.for_framework(assessment.round.framework_id).annotate(
            total=Count("questions")
        )
    )
    total = sum(d.total for d in dimensions)
    members = answering_members(assessment)
    every_response = list(assessment.responses.select_related("respondent"))
    responses = {r.respondent_id: r for r in every_response if r.respondent_id is not None}
    answered: defaultdict[int, dict[int, int]] = defaultdict(dict)
    for response_id, dimension_id, count in (
        Answer.objects.filter(response__assessment=assessment)
        .values_list("response_id", "question__dimension_id")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        answered[response_id][dimension_id] = count
    assigned: defaultdict[int, list[User]] = defaultdict(list)
    for assignment in assessment.assignments.select_related("user"):
        assigned[assignment.dimension_id].append(assignment.user)

    member_ids = {m.user_id for m in members}
    # (name, person, role, response): members first, then those who left, then erased officers,
    # whose responses stay under their labels because they answered.
    people: list[tuple[str, Any, str, Response | None]] = [
        (m.user.get_full_name(), m.user, m.get_role_display(), responses.get(m.user_id))
        for m in members
    ]
    people += [
        (r.respondent_name, r.respondent, gettext("No longer a member"), r)
        for r in responses.values()
        if r.respondent_id not in member_ids
    ]
    erased = [r for r in every_response if r.respondent_id is None]
    people += [
        (r.respondent_name, None, gettext("Former officer"), r)
        for r in sorted(erased, key=lambda r: r.respondent_label)
    ]
    respondents = []
    for name, user, role_name, response in people:
        count = sum(answered[response.pk].values()) if response else 0
        if response and response.is_submitted:
            status = "Submitted"
        else:
            status = "In progress" if count else "Not started"
        respondents.append(
            {
                "user": user,
                "name": name,
                "role": role_name,
                "status": status,
                "answered": count,
                "total": total,
            }
        )
    started = [r for r in every_response if answered[r.pk]]

    def finished(user: User, dimension: Any) -> bool:
        response = responses.get(user.pk)
        return (
            response is not None and answered[response.pk].get(dimension.pk, 0) >= dimension.total
        )

    dimension_rows = [
        {
            "dimension": d,
            "complete": sum(1 for r in started if answered[r.pk].get(d.pk, 0) >= d.total),
            "started": len(started),
            "assigned": assigned[d.pk],
            "assignees": [(user, finished(user, d)) for user in assigned[d.pk]],
        }
        for d in dimensions
    ]
    return respondents, dimension_rows


def assigned_user_ids(assessment: Assessment) -> defaultdict[int, list[str]]:
    """Who answers each dimension, by dimension id, as the ids the assignment forms post."""
    assigned: defaultdict[int, list[str]] = defaultdict(list)
    for dimension_id, user_id in assessment.assignments.values_list("dimension_id", "user_id"):
        assigned[dimension_id].append(str(user_id))
    return assigned


# Agreeing answers -----------------------------------------------------------------------------


def agree_tasks(assessment: Assessment) -> list[dict[str, Any]]:
    """The lead's task list: each dimension with how many answers are agreed and flagged."""
    agreed = set(assessment.agreed_answers.values_list("question_id", flat=True))
    officers = officer_summaries(assessment)
    tasks = []
    for dimension in dimensions_with_questions(assessment):
        questions = list(dimension.questions.all())
        done = sum(1 for q in questions if q.pk in agreed)
        tasks.append(
            {
                "dimension": dimension,
                "total": len(questions),
                "agreed": done,
                "flagged": sum(1 for q in questions if officers[q.pk].disagree),
                "status": (
                    "Completed"
                    if done == len(questions)
                    else ("In progress" if done else "Not started")
                ),
            }
        )
    return tasks


def agreed_answers_for(
    assessment: Assessment, questions: list[Question]
) -> dict[int, AgreedAnswer]:
    return {
        a.question_id: a
        for a in AgreedAnswer.objects.filter(
            assessment=assessment, question__in=questions
        ).select_related("updated_by")
    }


def conflict_view(conflict: Conflict | None) -> dict[str, Any] | None:
    """Both sides of a refused save: the agreed answer someone saved since, and yours."""
    if conflict is None:
        return None
    theirs: AgreedAnswer | None = conflict.current
    yours: AgreedInput = conflict.attempted
    return {
        "theirs": (
            answer_text(theirs.status, theirs.level) if theirs else gettext("No agreed answer")
        ),
        "their_rationale": theirs.rationale if theirs else "",
        "by": theirs.updated_by if theirs else None,
        "at": theirs.updated_at if theirs else None,
        "yours": answer_text(yours.status, yours.level),
        "your_rationale": yours.rationale,
    }


def agree_rows(
    questions: list[Question],
    *,
    officers: defaultdict[int, OfficerSummary],
    agreed: dict[int, AgreedAnswer],
    conflicts: dict[int, Conflict],
    helpers: dict[int, Any],
) -> list[dict[str, Any]]:
    """One row per question of the lead's dimension page."""
    return [
        {
            "question": q,
            "officers": officers[q.pk],
            "agreed": agreed.get(q.pk),
            "agreed_text": (
                answer_text(agreed[q.pk].status, agreed[q.pk].level) if q.pk in agreed else ""
            ),
            "conflict": conflict_view(conflicts.get(q.pk)),
            "helper": helpers[q.pk],
        }
        for q in questions
    ]


# Results --------------------------------------------------------------------------------------


def results_page(assessment: Assessment) -> dict[str, Any]:
    """The frozen scores of a signed-off assessment (none before sign-off), with the overall
    score, its band and the highest and lowest dimensions."""
    scores = (
        list(assessment.scores.select_related("dimension").order_by("dimension__order"))
        if assessment.is_signed_off
        else []
    )
    overall = services.overall_score(scores)
    scored = [s for s in scores if s.score is not None]
    rows = [
        {
            "name": s.dimension.name,
            "score": s.score,
            "band": band_text(s.band),
            "coverage": percent(s.coverage),
            "respondents": s.respondents,
            "spread": s.spread,
        }
        for s in scores
    ]
    return {
        "rows": rows,
        "answers": _agreed_by_dimension(assessment) if scores else [],
        "overall": overall,
        "overall_band": band_text(scoring.level_band(overall)),
        "highest": max(scored, key=lambda s: s.score or 0, default=None),
        "lowest": min(scored, key=lambda s: s.score or 0, default=None),
    }


def _agreed_by_dimension(assessment: Assessment) -> list[dict[str, Any]]:
    """Each dimension's questions with the agreed answer, in the framework's order (one query):
    what the results page lists, so any question can be added to the plan."""
    parts: dict[str, dict[str, Any]] = {}
    for answer in (
        AgreedAnswer.objects.filter(assessment=assessment)
        .select_related("question__dimension")
        .order_by("question__dimension__order", "question__order")
    ):
        dimension = answer.question.dimension
        part = parts.setdefault(
            dimension.code, {"name": dimension.name, "code": dimension.code, "questions": []}
        )
        part["questions"].append(
            {
                "code": answer.question.code,
                "statement": answer.question.statement,
                "text": answer_text(answer.status, answer.level),
                "below_top": answer.level is not None and answer.level < scoring.MAX_LEVEL,
            }
        )
    return list(parts.values())


def change_since_last_round(assessment: Assessment, overall: Decimal | None) -> dict[str, Any]:
    """The council's overall score in its last signed-off round before this one, and the
    change to `overall` (None where either has no score, or there is no earlier round)."""
    previous = (
        Assessment.objects.signed_off()
        .filter(council_id=assessment.council_id, round__opens_on__lt=assessment.round.opens_on)
        .select_related("round")
        .order_by("-round__opens_on")
        .first()
    )
    if previous is None:
        return {"previous_round": None, "previous_overall": None, "change": None}
    before = services.overall_score(previous.scores.all())
    change = overall - before if overall is not None and before is not None else None
    return {"previous_round": previous.round, "previous_overall": before, "change": change}


# The audit trail ------------------------------------------------------------------------------


def describe(value: Any) -> dict[str, str]:
    """An audit value as people read it, e.g. "Level 2 (Developing)" and its rationale."""
    if value is None or value == "":
        return {"text": "", "rationale": ""}
    if isinstance(value, dict) and "status" in value:
        return {
            "text": answer_text(value["status"], value.get("level")),
            "rationale": value.get("rationale") or "",
        }
    if isinstance(value, list):
        return {
            "text": ", ".join(str(item) for item in value) or gettext("Nobody"),
            "rationale": "",
        }
    if isinstance(value, str) and value in AssessmentStatus.values:
        return {"text": str(AssessmentStatus(value).label), "rationale": ""}
    return {"text": str(value), "rationale": ""}


def history_rows(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {"event": event, "before": describe(event.before), "after": describe(event.after)}
        for event in events
    ]
