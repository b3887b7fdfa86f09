"""The lead's, the chief executive's and staff's pages.

Progress, assigning dimensions, agreeing answers, submitting, signing off, results, the audit
trail and reopening. Each view loads the assessment through `access` (anything the person's
roles do not reach is a 404), binds a form and calls one service. The helpers at the top are
the reads that several pages share; every number they show comes from `scoring`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import CouncilMembership, CouncilRole, User
from accounts.types import AuthenticatedHttpRequest
from core.http import form_view, reads

from . import access, scoring, services
from .models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentStatus,
    Confidence,
    Dimension,
    Question,
    ResponseStatus,
)
from .review_forms import (
    AgreeDimensionForm,
    ApproveForm,
    AssignmentForm,
    ReopenForm,
    ReturnForm,
    SubmitForm,
)
from .services import AgreedInput, AssessmentError, Conflict, StaleAgreedAnswers
from .wording import answer_text

HISTORY_PAGE_SIZE = 100


# Shared reads ---------------------------------------------------------------------------------


def _for_lead(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment, _ = access.assessment_for_member(request.user, pk, [CouncilRole.LEAD])
    return assessment


def _band_text(band: int | None) -> str:
    return f"{band} {scoring.LEVEL_NAMES[band]}" if band else "No score"


def _level(status: str, level: int | None) -> int | None:
    return level if status == AnswerStatus.ANSWERED else None


def _agreeing_open(assessment: Assessment) -> bool:
    """The lead can change agreed answers only while the assessment is with them."""
    return not assessment.is_read_only and assessment.status == AssessmentStatus.IN_PROGRESS


def _dimensions(assessment: Assessment, *, descriptors: bool = False) -> list[Dimension]:
    questions = Question.objects.order_by("order")
    if descriptors:
        questions = questions.prefetch_related("descriptors")
    return list(
        Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


@dataclass(frozen=True)
class OfficerAnswer:
    status: str
    level: int | None
    confidence: str
    submitted: bool


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
            ("Not applicable", statuses[AnswerStatus.NOT_APPLICABLE]),
            ("Don't know", statuses[AnswerStatus.DONT_KNOW]),
        ]

    @property
    def confidence(self) -> list[tuple[str, int]]:
        given = Counter(a.confidence for a in self.answers)
        counts = [(str(label), given[value]) for value, label in reversed(Confidence.choices)]
        if given[""]:
            counts.append(("Not given", given[""]))
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


def _officer_summaries(
    assessment: Assessment, questions: list[Question] | None = None
) -> defaultdict[int, OfficerSummary]:
    """Officers' answers by question id: every response that answered, submitted or not."""
    answers = Answer.objects.filter(response__assessment=assessment)
    if questions is not None:
        answers = answers.filter(question__in=questions)
    summaries: defaultdict[int, OfficerSummary] = defaultdict(OfficerSummary)
    for question_id, status, level, confidence, response_status in answers.values_list(
        "question_id", "status", "level", "confidence", "response__status"
    ):
        summaries[question_id].answers.append(
            OfficerAnswer(status, level, confidence, response_status == ResponseStatus.SUBMITTED)
        )
    return summaries


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
        return _band_text(self.result.band)

    @property
    def coverage_percent(self) -> int:
        return _percent(self.result.coverage)


def _percent(share: Decimal) -> int:
    return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _reviews(assessment: Assessment) -> list[DimensionReview]:
    agreed = {
        a.question_id: a for a in assessment.agreed_answers.select_related("updated_by").all()
    }
    reviews = []
    for dimension in _dimensions(assessment):
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


def _context(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {"assessment": assessment, **extra}


# Progress and assignments (lead and chief executive) ----------------------------------------


def _answering_members(assessment: Assessment) -> list[CouncilMembership]:
    return list(
        CouncilMembership.objects.filter(
            council_id=assessment.council_id, role__in=services.ANSWERING_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _progress_tables(
    assessment: Assessment,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who has responded and how far; how many responses have finished each dimension."""
    dimensions = list(
        Dimension.objects.for_framework(assessment.round.framework_id).annotate(
            total=Count("questions")
        )
    )
    total = sum(d.total for d in dimensions)
    members = _answering_members(assessment)
    responses = {r.respondent_id: r for r in assessment.responses.select_related("respondent")}
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
    people = [(m.user, m.get_role_display()) for m in members] + [
        (r.respondent, "No longer a member")
        for r in responses.values()
        if r.respondent_id not in member_ids
    ]
    respondents = []
    for user, role_name in people:
        response = responses.get(user.pk)
        count = sum(answered[response.pk].values()) if response else 0
        if response and response.is_submitted:
            status = "Submitted"
        else:
            status = "In progress" if count else "Not started"
        respondents.append(
            {"user": user, "role": role_name, "status": status, "answered": count, "total": total}
        )
    started = [r for r in responses.values() if answered[r.pk]]
    dimension_rows = [
        {
            "dimension": d,
            "complete": sum(1 for r in started if answered[r.pk].get(d.pk, 0) >= d.total),
            "started": len(started),
            "assigned": assigned[d.pk],
        }
        for d in dimensions
    ]
    return respondents, dimension_rows


@reads
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, role = access.assessment_for_member(
        request.user, pk, [CouncilRole.LEAD, CouncilRole.EXECUTIVE]
    )
    respondents, dimension_rows = _progress_tables(assessment)
    return render(
        request,
        "assessments/review/progress.html",
        _context(assessment, role=role, respondents=respondents, dimension_rows=dimension_rows),
    )


@form_view
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    dimensions = list(Dimension.objects.for_framework(assessment.round.framework_id))
    members = [m.user for m in _answering_members(assessment)]
    assigned: defaultdict[int, list[str]] = defaultdict(list)
    for dimension_id, user_id in assessment.assignments.values_list("dimension_id", "user_id"):
        assigned[dimension_id].append(str(user_id))
    # Each dimension has its own small form; the one posted says which it is.
    posted = request.POST.get("dimension") if request.method == "POST" else None
    if posted is not None and posted not in {d.code for d in dimensions}:
        raise Http404
    forms = [
        AssignmentForm(
            request.POST if d.code == posted else None,
            dimension=d,
            members=members,
            initial={"users": assigned[d.pk]},
        )
        for d in dimensions
    ]
    if posted is not None and not assessment.is_read_only:
        form, dimension = next(
            (f, d) for f, d in zip(forms, dimensions, strict=True) if d.code == posted
        )
        if form.is_valid():
            try:
                services.assignments_set(
                    assessment=assessment,
                    dimension=dimension,
                    users=form.selected_users(),
                    by=request.user,
                )
            except AssessmentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Saved who answers {dimension.name}")
                return redirect("assessments:assign", pk=assessment.pk)
    error_form = next((f for f in forms if f.errors), None)
    return render(
        request,
        "assessments/review/assign.html",
        _context(
            assessment,
            forms=forms,
            error_form=error_form,
            members=members,
            editable=not assessment.is_read_only,
        ),
    )


# Agreeing answers (lead) --------------------------------------------------------------------


@reads
def agree_index(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    agreed = set(assessment.agreed_answers.values_list("question_id", flat=True))
    officers = _officer_summaries(assessment)
    tasks = []
    for dimension in _dimensions(assessment):
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
    return render(
        request,
        "assessments/review/agree.html",
        _context(assessment, tasks=tasks, editable=_agreeing_open(assessment)),
    )


def _conflict_view(conflict: Conflict | None) -> dict[str, Any] | None:
    if conflict is None:
        return None
    theirs: AgreedAnswer | None = conflict.current
    yours: AgreedInput = conflict.attempted
    return {
        "theirs": answer_text(theirs.status, theirs.level) if theirs else "No agreed answer",
        "their_rationale": theirs.rationale if theirs else "",
        "by": theirs.updated_by if theirs else None,
        "at": theirs.updated_at if theirs else None,
        "yours": answer_text(yours.status, yours.level),
        "your_rationale": yours.rationale,
    }


@form_view
def agree_dimension(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = _for_lead(request, pk)
    questions_in_order = Question.objects.order_by("order").prefetch_related("descriptors")
    dimension = get_object_or_404(
        Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related(
            Prefetch("questions", queryset=questions_in_order)
        ),
        code=code,
    )
    questions = list(dimension.questions.all())
    agreed = {
        a.question_id: a
        for a in AgreedAnswer.objects.filter(
            assessment=assessment, question__in=questions
        ).select_related("updated_by")
    }
    officers = _officer_summaries(assessment, questions)
    editable = _agreeing_open(assessment)
    form = AgreeDimensionForm(
        request.POST if request.method == "POST" and editable else None,
        questions=questions,
        agreed=agreed,
        suggested={q.pk: officers[q.pk].suggested for q in questions},
    )
    if form.is_bound and form.is_valid():
        try:
            services.agreed_answers_save(
                assessment=assessment, answers=form.agreed_inputs(), by=request.user
            )
        except StaleAgreedAnswers as stale:
            form = form.with_conflicts(stale.conflicts)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Agreed answers saved for {dimension.name}")
            return redirect("assessments:agree", pk=assessment.pk)
    rows = [
        {
            "question": q,
            "officers": officers[q.pk],
            "agreed": agreed.get(q.pk),
            "agreed_text": (
                answer_text(agreed[q.pk].status, agreed[q.pk].level) if q.pk in agreed else ""
            ),
            "conflict": _conflict_view(form.conflicts.get(q.pk)),
            "helper": form.helpers[q.pk],
        }
        for q in questions
    ]
    return render(
        request,
        "assessments/review/agree_dimension.html",
        _context(assessment, dimension=dimension, form=form, rows=rows, editable=editable),
    )


@form_view
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.assessment_submit(assessment=assessment, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "You have submitted the assessment. Your chief executive can now sign it off "
                "or return it to you.",
            )
            return redirect("assessments:overview", pk=assessment.pk)
    reviews = _reviews(assessment)
    return render(
        request,
        "assessments/review/submit.html",
        _context(
            assessment,
            form=form,
            reviews=reviews,
            missing=sum(r.total - r.agreed for r in reviews),
            editable=_agreeing_open(assessment),
        ),
    )


# Sign-off (chief executive) -----------------------------------------------------------------


@form_view
def sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, _ = access.assessment_for_member(request.user, pk, [CouncilRole.EXECUTIVE])
    action = request.POST.get("action") if request.method == "POST" else None
    approve_form = ApproveForm(request.POST if action == "approve" else None)
    return_form = ReturnForm(request.POST if action == "return" else None)
    if approve_form.is_bound and approve_form.is_valid():
        try:
            services.assessment_sign_off(assessment=assessment, by=request.user)
        except AssessmentError as error:
            approve_form.add_error(None, str(error))
        else:
            messages.success(request, "You have signed off the assessment. Its scores are final.")
            return redirect("assessments:results", pk=assessment.pk)
    if return_form.is_bound and return_form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment, by=request.user, comment=return_form.cleaned_data["comment"]
            )
        except AssessmentError as error:
            return_form.add_error(None, str(error))
        else:
            messages.success(request, "You have returned the assessment to the lead.")
            return redirect("assessments:sign-off", pk=assessment.pk)
    waiting = assessment.status == AssessmentStatus.SUBMITTED and not assessment.is_read_only
    return render(
        request,
        "assessments/review/sign_off.html",
        _context(
            assessment,
            approve_form=approve_form,
            return_form=return_form,
            error_form=approve_form if approve_form.errors else return_form,
            reviews=_reviews(assessment) if waiting else [],
            waiting=waiting,
            submitted_by=assessment.submitted_by,
            signed_off_by=assessment.signed_off_by,
        ),
    )


# Results (every member of the council) ------------------------------------------------------


@reads
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, _ = access.assessment_for_member(request.user, pk)
    scores = (
        list(assessment.scores.select_related("dimension").order_by("dimension__order"))
        if assessment.is_signed_off
        else []
    )
    overall = services.overall_score(scores)
    scored = [s for s in scores if s.score is not None]
    highest = max(scored, key=lambda s: s.score or 0, default=None)
    lowest = min(scored, key=lambda s: s.score or 0, default=None)
    rows = [
        {
            "name": s.dimension.name,
            "score": s.score,
            "band": _band_text(s.band),
            "coverage": _percent(s.coverage),
            "respondents": s.respondents,
            "spread": s.spread,
        }
        for s in scores
    ]
    return render(
        request,
        "assessments/review/results.html",
        _context(
            assessment,
            rows=rows,
            overall=overall,
            overall_band=_band_text(scoring.level_band(overall)),
            highest=highest,
            lowest=lowest,
        ),
    )


# The audit trail (lead and staff) and reopening (staff) -------------------------------------


def _describe(value: Any) -> dict[str, str]:
    """An audit value as people read it, e.g. "Level 2 (Developing)" and its rationale."""
    if value is None or value == "":
        return {"text": "", "rationale": ""}
    if isinstance(value, dict) and "status" in value:
        return {
            "text": answer_text(value["status"], value.get("level")),
            "rationale": value.get("rationale") or "",
        }
    if isinstance(value, list):
        return {"text": ", ".join(str(item) for item in value) or "Nobody", "rationale": ""}
    if isinstance(value, str) and value in AssessmentStatus.values:
        return {"text": str(AssessmentStatus(value).label), "rationale": ""}
    return {"text": str(value), "rationale": ""}


@reads
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.user.is_staff:
        assessment = access.assessment_for_staff(request.user, pk)
    else:
        assessment = _for_lead(request, pk)
    page = Paginator(assessment.events.select_related("actor"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = [
        {
            "event": event,
            "before": _describe(event.before),
            "after": _describe(event.after),
        }
        for event in page
    ]
    return render(
        request,
        "assessments/review/history.html",
        _context(
            assessment,
            page=page,
            events=events,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1),
        ),
    )


@form_view
def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_staff(request.user, pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"You have reopened the assessment for {assessment.council.short_name}. Its "
                "scores are withdrawn until it is signed off again.",
            )
            return redirect("assessments:history", pk=assessment.pk)
    return render(request, "assessments/review/reopen.html", _context(assessment, form=form))
