"""The lead's, the chief executive's and staff's pages.

Progress, assigning dimensions, agreeing answers, submitting, signing off, results, the audit
trail and reopening. Each view loads the assessment through `access` (anything the person's
roles do not reach is a 404), binds a form, calls one service and renders what
review_reads.py reads for it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from accounts.models import CouncilRole
from accounts.two_factor import strong_sign_in_needed
from accounts.types import AuthenticatedHttpRequest
from core.http import form_view, reads

from . import access, review_reads, scoring, services
from .models import Assessment, AssessmentStatus, Dimension, DimensionAssignment, Question
from .review_forms import (
    AgreeDimensionForm,
    ApproveForm,
    AssignmentsForm,
    ReopenForm,
    ReturnForm,
    SubmitForm,
)
from .services import AssessmentError, StaleAgreedAnswers

HISTORY_PAGE_SIZE = 100


def _for_lead(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment, _ = access.assessment_for_member(request.user, pk, [CouncilRole.LEAD])
    return assessment


def _context(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {"assessment": assessment, **extra}


# Progress and assignments (lead and chief executive) ----------------------------------------


@reads
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, role = access.assessment_for_member(
        request.user, pk, [CouncilRole.LEAD, CouncilRole.EXECUTIVE]
    )
    respondents, dimension_rows = review_reads.progress_tables(assessment)
    return render(
        request,
        "assessments/review/progress.html",
        _context(assessment, role=role, respondents=respondents, dimension_rows=dimension_rows),
    )


@form_view
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    dimensions = list(Dimension.objects.for_framework(assessment.round.framework_id))
    members = [m.user for m in review_reads.answering_members(assessment)]
    assigned = review_reads.assigned_user_ids(assessment)
    initial: dict[str, Any] = {f"part_{d.code}": assigned[d.pk] for d in dimensions}
    initial["version"] = DimensionAssignment.objects.version_of(assessment)
    editable = not assessment.is_read_only
    form = AssignmentsForm(
        request.POST if request.method == "POST" and editable else None,
        dimensions=dimensions,
        members=members,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            services.assignments_save(
                assessment=assessment,
                parts=form.chosen(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleAssignments as stale:
            # The page shows what is saved now, with its version, and says why.
            form = AssignmentsForm(initial, dimensions=dimensions, members=members)
            form.is_valid()
            form.add_error(None, str(stale))
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Saved who answers each barrier"))
            return redirect("assessments:assign", pk=assessment.pk)
    return render(
        request,
        "assessments/review/assign.html",
        _context(
            assessment,
            form=form,
            members=members,
            editable=editable,
            coverage=review_reads.progress_tables(assessment)[1],
        ),
    )


# Agreeing answers (lead) --------------------------------------------------------------------


@reads
def agree_index(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    return render(
        request,
        "assessments/review/agree.html",
        _context(
            assessment,
            tasks=review_reads.agree_tasks(assessment),
            editable=review_reads.agreeing_open(assessment),
        ),
    )


@form_view
def agree_dimension(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = _for_lead(request, pk)
    if needed := strong_sign_in_needed(request, "agree the council's answers"):
        return needed
    questions_in_order = Question.objects.order_by("order").prefetch_related("descriptors")
    dimension = get_object_or_404(
        Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related(
            Prefetch("questions", queryset=questions_in_order)
        ),
        code=code,
    )
    questions = list(dimension.questions.all())
    officers = review_reads.officer_summaries(assessment, questions)
    # "Questions where officers disagree": the page, and so its form, holds only those.
    only_disagreements = request.GET.get("show") == "disagree"
    if only_disagreements:
        questions = [q for q in questions if officers[q.pk].disagree]
    agreed = review_reads.agreed_answers_for(assessment, questions)
    editable = review_reads.agreeing_open(assessment)
    form = AgreeDimensionForm(
        request.POST if request.method == "POST" and editable else None,
        questions=questions,
        agreed=agreed,
        suggested={q.pk: officers[q.pk].suggested for q in questions},
        unanswered={q.pk for q in questions if not officers[q.pk].respondents},
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
            messages.success(
                request,
                gettext("Agreed answers saved for %(barrier)s") % {"barrier": dimension.name},
            )
            # "Change" on the submit page comes back to it (the GOV.UK pattern).
            if request.GET.get("return") == "submit":
                return redirect("assessments:submit", pk=assessment.pk)
            return redirect("assessments:agree", pk=assessment.pk)
    rows = review_reads.agree_rows(
        questions,
        officers=officers,
        agreed=agreed,
        conflicts=form.conflicts,
        helpers=form.helpers,
    )
    return render(
        request,
        "assessments/review/agree_dimension.html",
        _context(
            assessment,
            dimension=dimension,
            form=form,
            rows=rows,
            editable=editable,
            only_disagreements=only_disagreements,
            can_answer=len(review_reads.answering_members(assessment)),
        ),
    )


@form_view
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _for_lead(request, pk)
    if needed := strong_sign_in_needed(request, "submit the assessment"):
        return needed
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.assessment_submit(assessment=assessment, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "You have submitted the assessment. Your chief executive can now sign it off "
                    "or return it to you."
                ),
            )
            return redirect("assessments:overview", pk=assessment.pk)
    reviews = review_reads.dimension_reviews(assessment)
    return render(
        request,
        "assessments/review/submit.html",
        _context(
            assessment,
            form=form,
            reviews=reviews,
            missing=sum(r.total - r.agreed for r in reviews),
            editable=review_reads.agreeing_open(assessment),
        ),
    )


# Sign-off (chief executive) -----------------------------------------------------------------


@form_view
def sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, _ = access.assessment_for_member(request.user, pk, [CouncilRole.EXECUTIVE])
    action = request.POST.get("action") if request.method == "POST" else None
    if needed := strong_sign_in_needed(request, "sign off the assessment"):
        return needed
    approve_form = ApproveForm(request.POST if action == "approve" else None)
    return_form = ReturnForm(request.POST if action == "return" else None)
    if approve_form.is_bound and approve_form.is_valid():
        try:
            services.assessment_sign_off(assessment=assessment, by=request.user)
        except AssessmentError as error:
            approve_form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("You have signed off the assessment. Its scores are final.")
            )
            return redirect("assessments:results", pk=assessment.pk)
    if return_form.is_bound and return_form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment, by=request.user, comment=return_form.cleaned_data["comment"]
            )
        except AssessmentError as error:
            return_form.add_error(None, str(error))
        else:
            messages.success(request, gettext("You have returned the assessment to the lead."))
            return redirect("assessments:sign-off", pk=assessment.pk)
    waiting = assessment.status == AssessmentStatus.SUBMITTED and not assessment.is_read_only
    reviews = review_reads.dimension_reviews(assessment) if waiting else []
    # The overall score signing off would freeze: the same rule as at sign-off.
    overall = scoring.overall_score(r.score for r in reviews) if reviews else None
    return render(
        request,
        "assessments/review/sign_off.html",
        _context(
            assessment,
            approve_form=approve_form,
            return_form=return_form,
            error_form=approve_form if approve_form.errors else return_form,
            reviews=reviews,
            overall=overall,
            overall_band=review_reads.band_text(scoring.level_band(overall)),
            **review_reads.change_since_last_round(assessment, overall),
            waiting=waiting,
            submitted_by=assessment.submitted_by,
            signed_off_by=assessment.signed_off_by,
        ),
    )


# Results (every member of the council) ------------------------------------------------------


@reads
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, role = access.assessment_for_member(request.user, pk)
    page = review_reads.results_page(assessment)
    return render(
        request,
        "assessments/review/results.html",
        _context(
            assessment,
            **page,
            **review_reads.change_since_last_round(assessment, page["overall"]),
            # Council reports are for the lead and the chief executive (reports.access).
            reports_link=role in (CouncilRole.LEAD, CouncilRole.EXECUTIVE),
            # Only the lead drafts the council's plan (plans.services).
            can_plan=role == CouncilRole.LEAD,
        ),
    )


# The audit trail (lead and staff) and reopening (staff) -------------------------------------


@reads
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.user.is_staff:
        assessment = access.assessment_for_staff(request.user, pk)
    else:
        assessment = _for_lead(request, pk)
    page = Paginator(assessment.events.select_related("actor"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/review/history.html",
        _context(
            assessment,
            page=page,
            events=review_reads.history_rows(page),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1),
        ),
    )


@form_view
def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_staff(request.user, pk)
    if needed := strong_sign_in_needed(request, "reopen an assessment"):
        return needed
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
                gettext(
                    "You have reopened the assessment for %(council)s. Its scores are withdrawn "
                    "until it is signed off again."
                )
                % {"council": assessment.council.short_name},
            )
            return redirect("assessments:history", pk=assessment.pk)
    return render(request, "assessments/review/reopen.html", _context(assessment, form=form))
