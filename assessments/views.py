"""The officer's journey: the list of assessments, the task list, a page per dimension,
check your answers and the confirmation. The lead's and chief executive's pages are in
review_views.py, and what they show in review_reads.py."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import council_membership
from accounts.models import CouncilMembership, CouncilRole, User
from accounts.types import AuthenticatedHttpRequest
from core.http import action, form_view, reads
from councils.models import name_order

from . import scoring, services, wording
from .access import assessment_for_member
from .forms import DimensionAnswersForm
from .models import (
    Answer,
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionAssignment,
    Framework,
    Question,
    Response,
    RoundStatus,
)
from .outline import framework_outline
from .services import ANSWERING_ROLES, AssessmentError

STATUS_TAGS = {
    scoring.NOT_STARTED: (_("Not started"), "govuk-tag--grey"),
    scoring.IN_PROGRESS: (_("In progress"), "govuk-tag--light-blue"),
    # Completed is plain text, as the Design System's task list shows it.
    scoring.COMPLETED: (_("Completed"), ""),
}


# Reads shared by the views ------------------------------------------------------------------


def _own_response(assessment: Assessment, user: User) -> Response | None:
    """This person's response, if they have started one. Reading never creates it."""
    # At most one (a constraint); by id, since the model's ordering would join the users.
    response = (
        Response.objects.filter(assessment=assessment, respondent=user).order_by("pk").first()
    )
    if response is not None:
        # The assessment already in hand, so saving answers does not read it and its round again.
        response.assessment = assessment
    return response


def _read_only_reason(assessment: Assessment, response: Response | None) -> str:
    """Why this person's answers cannot change, or "" if they can."""
    if assessment.is_signed_off:
        return gettext("This assessment has been signed off, so answers can no longer change.")
    if assessment.round.status == RoundStatus.CLOSED:
        return gettext("The %(round)s round has closed, so answers can no longer change.") % {
            "round": assessment.round.name
        }
    if assessment.round.status != RoundStatus.OPEN:
        return gettext("The %(round)s round has not opened yet.") % {"round": assessment.round.name}
    if response is not None and response.is_submitted:
        return gettext(
            "You have sent your answers to your assessment lead, so they can no longer change."
        )
    return ""


def _dimensions(assessment: Assessment) -> list[Dimension]:
    return list(framework_outline(assessment.round.framework))


def _answers(response: Response | None, **filters: Any) -> dict[int, Answer]:
    if response is None:
        return {}
    return {a.question_id: a for a in Answer.objects.filter(response=response, **filters)}


def answer_text(answer: Answer | None) -> str:
    """An officer's answer as the page shows it (wording.answer_text), or "Not answered"."""
    if answer is None:
        return gettext("Not answered")
    return wording.answer_text(answer.status, answer.level)


@dataclass
class AnsweredQuestion:
    question: Question
    answer: Answer | None

    @property
    def text(self) -> str:
        return answer_text(self.answer)


@dataclass
class Section:
    dimension: Dimension
    rows: list[AnsweredQuestion]


def _answered_questions(
    questions: list[Question], answers: dict[int, Answer]
) -> list[AnsweredQuestion]:
    return [AnsweredQuestion(q, answers.get(q.pk)) for q in questions]


# Views --------------------------------------------------------------------------------------


@reads
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = list(
        CouncilMembership.objects.for_user(request.user)
        .select_related("council")
        .order_by(name_order("council__"))
    )
    open_rounds = list(
        AssessmentRound.objects.filter(status=RoundStatus.OPEN).order_by("-opens_on")
    )
    assessments = list(
        Assessment.objects.filter(council__in=[m.council_id for m in memberships])
        .select_related("round")
        .order_by("-round__opens_on")
    )
    by_round = {(a.council_id, a.round_id): a for a in assessments}
    councils = []
    for membership in memberships:
        current = []
        for round_ in open_rounds:
            assessment = by_round.get((membership.council_id, round_.pk))
            if assessment is None or not assessment.is_signed_off:
                current.append({"round": round_, "assessment": assessment})
        earlier = [
            a
            for a in assessments
            if a.council_id == membership.council_id
            and (a.round.status != RoundStatus.OPEN or a.is_signed_off)
        ]
        councils.append(
            {
                "membership": membership,
                "can_answer": membership.role in ANSWERING_ROLES,
                "current": current,
                "earlier": earlier,
            }
        )
    return render(request, "assessments/officer/index.html", {"councils": councils})


@action
def start(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    membership = council_membership(request.user, gss_code)
    round_ = get_object_or_404(AssessmentRound, slug=round_slug)
    try:
        assessment = services.assessment_start(
            council=membership.council, round=round_, by=request.user
        )
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:index")
    return redirect("assessments:overview", pk=assessment.pk)


@reads
def overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, role = assessment_for_member(request.user, pk)
    context: dict[str, Any] = {
        "assessment": assessment,
        "role": role,
        "is_lead": role == CouncilRole.LEAD,
        "can_answer": role in ANSWERING_ROLES,
    }
    if role in ANSWERING_ROLES:
        response = _own_response(assessment, request.user)
        dimensions = framework_outline(assessment.round.framework)
        answered: dict[int, int] = {}
        if response is not None:
            answered = dict(
                Answer.objects.filter(response=response)
                .values("question__dimension_id")
                .annotate(count=Count("pk"))
                .values_list("question__dimension_id", "count")
            )
        assigned = set(
            DimensionAssignment.objects.filter(
                assessment=assessment, user=request.user
            ).values_list("dimension_id", flat=True)
        )
        tasks = []
        for dimension in dimensions:
            status = scoring.progress_status(
                answered=answered.get(dimension.pk, 0),
                total=len(dimension.questions.all()),
            )
            label, tag = STATUS_TAGS[status]
            tasks.append(
                {
                    "dimension": dimension,
                    "status": status,
                    "label": label,
                    "tag": tag,
                    "assigned": dimension.pk in assigned,
                }
            )
        # The parts assigned to this person come first: theirs to answer before sending.
        tasks.sort(key=lambda task: not task["assigned"])
        context |= {
            "response": response,
            "tasks": tasks,
            "has_assigned": bool(assigned),
            # With parts assigned, those are all that must be answered before sending.
            "ready_to_send": all(
                task["status"] == scoring.COMPLETED
                for task in tasks
                if task["assigned"] or not assigned
            ),
            "completed": sum(1 for task in tasks if task["status"] == scoring.COMPLETED),
            "reason": _read_only_reason(assessment, response),
        }
    else:
        context["reason"] = _read_only_reason(assessment, None)
    return render(request, "assessments/officer/overview.html", context)


@form_view
def dimension(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment, _ = assessment_for_member(request.user, pk, roles=ANSWERING_ROLES)
    dimensions = _dimensions(assessment)
    position = next((i for i, d in enumerate(dimensions) if d.code == code), None)
    if position is None:
        raise Http404
    current = dimensions[position]
    questions = list(current.questions.all())
    response = _own_response(assessment, request.user)
    saved = _answers(response, question__dimension=current)
    context: dict[str, Any] = {
        "assessment": assessment,
        "dimension": current,
        "questions": questions,
        "position": position + 1,
        "count": len(dimensions),
    }

    reason = _read_only_reason(assessment, response)
    if reason:
        context |= {
            "reason": reason,
            "refused": request.method == "POST",
            "rows": _answered_questions(questions, saved),
        }
        return render(request, "assessments/officer/dimension_read_only.html", context)

    form = DimensionAnswersForm(questions, saved, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            if answers:
                # Read just above; made on the first save. The person's role was checked by
                # assessment_for_member, so an existing response needs no second look.
                if response is None:
                    response = services.response_for(assessment=assessment, user=request.user)
                services.answers_save(response=response, dimension=current, answers=answers)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            if "later" in request.POST:
                messages.success(request, gettext("Your answers have been saved"))
                return redirect("assessments:overview", pk=assessment.pk)
            # "Change" on check your answers comes back to it (the GOV.UK pattern).
            if request.GET.get("return") != "check" and position + 1 < len(dimensions):
                return redirect(
                    "assessments:dimension", pk=assessment.pk, code=dimensions[position + 1].code
                )
            return redirect("assessments:check-answers", pk=assessment.pk)
    return render(request, "assessments/officer/dimension.html", context | {"form": form})


@form_view
def check_answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, _ = assessment_for_member(request.user, pk, roles=ANSWERING_ROLES)
    error = ""
    if request.method == "POST":
        try:
            services.response_submit_for(assessment=assessment, user=request.user)
        except AssessmentError as refused:
            error = str(refused)
        else:
            return redirect("assessments:response-submitted", pk=assessment.pk)

    response = _own_response(assessment, request.user)
    answers = _answers(response)
    dimensions = framework_outline(assessment.round.framework)
    sections = [
        Section(d, _answered_questions(list(d.questions.all()), answers)) for d in dimensions
    ]
    parts = DimensionAssignment.objects.parts_of(assessment, request.user)
    # Only the parts assigned to this person must be answered before sending (all, if none).
    unanswered = [
        row
        for section in sections
        if not parts or section.dimension.pk in parts
        for row in section.rows
        if row.answer is None
    ]
    return render(
        request,
        "assessments/officer/check_answers.html",
        {
            "assessment": assessment,
            "sections": sections,
            "unanswered": len(unanswered),
            "has_assigned": bool(parts),
            "first_unanswered": unanswered[0].question if unanswered else None,
            "error": error,
            "reason": _read_only_reason(assessment, response),
        },
    )


@reads
def response_submitted(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, _ = assessment_for_member(request.user, pk, roles=ANSWERING_ROLES)
    response = _own_response(assessment, request.user)
    if response is None or not response.is_submitted:
        return redirect("assessments:check-answers", pk=assessment.pk)
    return render(
        request,
        "assessments/officer/response_submitted.html",
        {"assessment": assessment, "response": response},
    )


@login_not_required
@reads
def guidance(request: HttpRequest) -> HttpResponse:
    """How the assessment works: public, so anyone invited can read it before signing in."""
    framework = Framework.objects.published().order_by("-version").first()
    return render(
        request,
        "assessments/guidance.html",
        {
            "barriers": framework.dimensions.count() if framework else None,
            "level_names": list(scoring.LEVEL_NAMES.items()),
            "top_level": scoring.MAX_LEVEL,
            "disagreement": scoring.DISAGREEMENT_SPREAD,
            "min_group": settings.BENCHMARK_MIN_GROUP,
        },
    )
