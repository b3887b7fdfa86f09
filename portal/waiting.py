"""What is waiting for one person, across their councils: the "Waiting for you" list that
starts their home page. Reads only; a fixed number of queries whatever the number of councils,
officers or answers.

Plan actions come first: each open action the person owns (overdue ones marked), and for a
chief executive, a plan waiting for approval.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from accounts.models import CouncilMembership, CouncilRole, User
from assessments import scoring
from assessments.models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    DimensionAssignment,
    Question,
    Response,
    ResponseStatus,
    RoundStatus,
)
from assessments.services import ANSWERING_ROLES
from core.translation import in_language
from councils.models import name_order
from plans import reads as plan_reads


@dataclass(frozen=True)
class Waiting:
    council: str
    text: str
    url: str
    closes_on: date | None = None
    detail: str = ""
    due_on: date | None = None
    overdue: bool = False


def waiting_for(user: User) -> list[Waiting]:
    memberships = list(
        CouncilMembership.objects.for_user(user)
        .select_related("council")
        .order_by(name_order("council__"))
    )
    if not memberships:
        return []
    planned = _plan_items(user, memberships, today=timezone.localdate())
    rounds = list(AssessmentRound.objects.filter(status=RoundStatus.OPEN).order_by("closes_on"))
    if not rounds:
        return planned
    councils = [m.council_id for m in memberships]
    assessments = {
        (a.council_id, a.round_id): a
        for a in Assessment.objects.filter(council__in=councils, round__in=rounds)
        .select_related("round", "council")
        .annotate(agreed=Count("agreed_answers", distinct=True))
    }
    ids = [a.pk for a in assessments.values()]
    totals = _questions_by_dimension(rounds)
    mine = _my_answers(user, ids)
    sent = set(
        Response.objects.filter(
            assessment__in=ids, respondent=user, status=ResponseStatus.SUBMITTED
        ).values_list("assessment_id", flat=True)
    )
    assigned: defaultdict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for assessment_id, dimension_id, name, name_cy, code in (
        DimensionAssignment.objects.filter(assessment__in=ids, user=user)
        .order_by("dimension__order")
        .values_list(
            "assessment_id",
            "dimension_id",
            "dimension__name_en",
            "dimension__name_cy",
            "dimension__code",
        )
    ):
        assigned[assessment_id].append((dimension_id, in_language(name, name_cy), code))
    led = [a.pk for a in assessments.values() if _role(memberships, a.council_id) == "lead"]
    disagreements = _disagreements_to_agree(led)

    items: list[Waiting] = planned
    for membership in memberships:
        for round_ in rounds:
            assessment = assessments.get((membership.council_id, round_.pk))
            items += _for(
                membership,
                round_,
                assessment,
                totals=totals,
                mine=mine,
                sent=sent,
                assigned=assigned,
                disagreements=disagreements,
            )
    return items


def _plan_items(user: User, memberships: list[CouncilMembership], *, today: date) -> list[Waiting]:
    """The person's open actions, soonest due first, and plans waiting for their approval.
    Two queries."""
    items = [
        Waiting(
            action.plan.council.short_name,
            gettext("Update your action: %(action)s")
            % {"action": Truncator(action.description).chars(90)},
            reverse(
                "plans:action-progress",
                args=[action.plan.council.gss_code, action.plan.assessment.round.slug, action.pk],
            ),
            due_on=action.due_on,
            overdue=action.is_overdue(today),
        )
        for action in plan_reads.my_open_actions(user, today)
    ]
    led = [m.council_id for m in memberships if m.role == CouncilRole.EXECUTIVE]
    if led:
        for plan in plan_reads.plans_to_approve(led):
            items.append(
                Waiting(
                    plan.council.short_name,
                    gettext("Approve %(council)s's improvement plan for %(round)s")
                    % {"council": plan.council.short_name, "round": plan.assessment.round.name},
                    reverse(
                        "plans:approve", args=[plan.council.gss_code, plan.assessment.round.slug]
                    ),
                )
            )
    return items


def _role(memberships: list[CouncilMembership], council_id: int) -> str:
    return next(m.role for m in memberships if m.council_id == council_id)


def _questions_by_dimension(rounds: list[AssessmentRound]) -> dict[int, dict[int, int]]:
    """Questions per dimension, by framework."""
    totals: defaultdict[int, dict[int, int]] = defaultdict(dict)
    for framework_id, dimension_id, n in (
        Question.objects.filter(dimension__framework__in={r.framework_id for r in rounds})
        .values_list("dimension__framework_id", "dimension_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        totals[framework_id][dimension_id] = n
    return totals


def _my_answers(user: User, assessment_ids: list[int]) -> dict[tuple[int, int], int]:
    """How many questions of each dimension this person has answered, by (assessment, dimension)."""
    return {
        (assessment_id, dimension_id): n
        for assessment_id, dimension_id, n in Answer.objects.filter(
            response__assessment__in=assessment_ids, response__respondent=user
        )
        .values_list("response__assessment_id", "question__dimension_id")
        .annotate(n=Count("pk"))
        .order_by()
    }


def _disagreements_to_agree(assessment_ids: list[int]) -> dict[int, int]:
    """Questions where officers disagree and no answer is agreed yet, by assessment."""
    if not assessment_ids:
        return {}
    levels: defaultdict[tuple[int, int], list[int | None]] = defaultdict(list)
    for assessment_id, question_id, status, level in Answer.objects.filter(
        response__assessment__in=assessment_ids
    ).values_list("response__assessment_id", "question_id", "status", "level"):
        levels[(assessment_id, question_id)].append(
            level if status == AnswerStatus.ANSWERED else None
        )
    agreed = set(
        AgreedAnswer.objects.filter(assessment__in=assessment_ids).values_list(
            "assessment_id", "question_id"
        )
    )
    counts: defaultdict[int, int] = defaultdict(int)
    for key, given in levels.items():
        if key not in agreed and scoring.is_disagreement(given):
            counts[key[0]] += 1
    return counts


def _for(
    membership: CouncilMembership,
    round_: AssessmentRound,
    assessment: Assessment | None,
    *,
    totals: dict[int, dict[int, int]],
    mine: dict[tuple[int, int], int],
    sent: set[int],
    assigned: dict[int, list[tuple[int, str, str]]],
    disagreements: dict[int, int],
) -> list[Waiting]:
    council = membership.council.short_name
    role = membership.role
    closes = round_.closes_on
    if assessment is None:
        if role == CouncilRole.LEAD:
            return [
                Waiting(
                    council,
                    gettext("Start %(council)s's assessment for %(round)s")
                    % {"council": council, "round": round_.name},
                    reverse("assessments:index"),
                    closes,
                )
            ]
        return []
    items: list[Waiting] = []
    overview = reverse("assessments:overview", args=[assessment.pk])
    if assessment.status == AssessmentStatus.IN_PROGRESS:
        if role in ANSWERING_ROLES and assessment.pk not in sent:
            dimensions = totals.get(round_.framework_id, {})
            parts = assigned.get(assessment.pk, [])
            for dimension_id, name, code in parts:
                if mine.get((assessment.pk, dimension_id), 0) < dimensions.get(dimension_id, 0):
                    items.append(
                        Waiting(
                            council,
                            gettext("Answer your barrier: %(barrier)s") % {"barrier": name},
                            reverse("assessments:dimension", args=[assessment.pk, code]),
                            closes,
                        )
                    )
            answered_any = any(key[0] == assessment.pk for key in mine)
            if not items and parts:
                items.append(
                    Waiting(
                        council,
                        gettext("Send your answers to the assessment lead"),
                        overview,
                        closes,
                    )
                )
            elif not parts and answered_any:
                items.append(
                    Waiting(
                        council,
                        gettext("Finish your answers and send them to the assessment lead"),
                        overview,
                        closes,
                    )
                )
        if role == CouncilRole.LEAD:
            agree = reverse("assessments:agree", args=[assessment.pk])
            if assessment.return_comment:
                items.append(
                    Waiting(
                        council,
                        gettext("The chief executive returned the assessment to you"),
                        agree,
                        closes,
                        detail=assessment.return_comment,
                    )
                )
            if disagreements.get(assessment.pk):
                n = disagreements[assessment.pk]
                items.append(
                    Waiting(
                        council,
                        ngettext(
                            "Resolve %(count)s question where officers disagree",
                            "Resolve %(count)s questions where officers disagree",
                            n,
                        )
                        % {"count": n},
                        agree,
                        closes,
                    )
                )
            total = sum(totals.get(round_.framework_id, {}).values())
            if assessment.agreed >= total:  # type: ignore[attr-defined]
                items.append(
                    Waiting(
                        council,
                        gettext("Submit the agreed answers for sign-off"),
                        reverse("assessments:submit", args=[assessment.pk]),
                        closes,
                    )
                )
    if assessment.status == AssessmentStatus.SUBMITTED and role == CouncilRole.EXECUTIVE:
        items.append(
            Waiting(
                council,
                gettext("Sign off %(council)s's assessment") % {"council": council},
                reverse("assessments:sign-off", args=[assessment.pk]),
                closes,
            )
        )
    return items
