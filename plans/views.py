"""The plan's pages. Each view loads through `access` (anything the person's roles do not reach
is a 404), binds a form, calls one service and redirects, or renders what `reads` gives it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.access import council_membership
from accounts.models import CouncilRole
from accounts.two_factor import strong_sign_in_needed
from accounts.types import AuthenticatedHttpRequest
from assessments.models import Assessment
from core.http import form_view, reads

from . import access, exports, services
from . import reads as plan_reads
from .forms import (
    ActionForm,
    CarryForm,
    ConfirmForm,
    FilterForm,
    ProgressForm,
    SharingOfferForm,
    TargetForm,
)
from .models import Plan
from .services import PlanError, StaleChange

HISTORY_PAGE_SIZE = 100
LEAD = [CouncilRole.LEAD]
EXECUTIVE = [CouncilRole.EXECUTIVE]


def _today() -> Any:
    return timezone.localdate()


def _plan_url(assessment: Assessment) -> str:
    return reverse("plans:plan", args=[assessment.council.gss_code, assessment.round.slug])


def _context(assessment: Assessment, plan: Plan | None, **extra: Any) -> dict[str, Any]:
    return {"assessment": assessment, "council": assessment.council, "plan": plan, **extra}


@reads
def latest(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    """The council's plan for its latest signed-off round."""
    council = council_membership(request.user, gss_code).council
    assessment = (
        Assessment.objects.signed_off()
        .for_council(council)
        .select_related("round")
        .order_by("-round__opens_on")
        .first()
    )
    if assessment is None:
        return render(request, "plans/none_yet.html", {"council": council})
    return redirect("plans:plan", gss_code=council.gss_code, round_slug=assessment.round.slug)


@reads
def plan(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    assessment, role = access.assessment_for(request.user, gss_code, round_slug)
    found = access.plan_of(assessment)
    today = _today()
    page = plan_reads.plan_page(found, today=today)
    filters = FilterForm(request.GET or None, owners=page.owners)
    owner, status = filters.chosen()
    page.filter(owner=owner, status=status)
    return render(
        request,
        "plans/plan.html",
        _context(
            assessment,
            found,
            page=page,
            filters=filters,
            role=role,
            today=today,
            is_lead=role == CouncilRole.LEAD,
            is_executive=role == CouncilRole.EXECUTIVE,
            carry=plan_reads.carry_offer(found, assessment) if role == CouncilRole.LEAD else None,
            user_id=request.user.pk,
        ),
    )


@form_view
def target_add(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    if found is not None and found.is_read_only:
        messages.info(
            request,
            gettext(
                "The %(round)s plan has been checked against the next round, so it can no "
                "longer change. Add targets to the plan of the latest round instead."
            )
            % {"round": assessment.round.name},
        )
        return redirect(_plan_url(assessment))
    source = request.POST if request.method == "POST" else request.GET
    subject = plan_reads.subject_for(
        assessment, source.get("dimension", "")[:10], source.get("question", "")[:12]
    )
    if subject is None:
        return render(
            request,
            "plans/choose_subject.html",
            _context(assessment, found, barriers=plan_reads.barriers(assessment)),
        )
    dimension, question = subject
    starting = services.current_level(assessment, dimension, question)
    suggested_level, wording = plan_reads.suggestion(assessment, dimension, question, starting)
    today = _today()
    members = plan_reads.members(assessment.council_id)
    initial = {
        "target_level": suggested_level,
        "action_description": wording,
        "target_round": next((str(r.pk) for r in plan_reads.later_rounds(assessment)[:1]), ""),
    }
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        starting=starting,
        rounds=plan_reads.later_rounds(assessment),
        members=members,
        today=today,
        subject={"dimension": dimension.code, **({"question": question.code} if question else {})},
    )
    if form.is_bound and form.is_valid():
        try:
            services.target_add(
                assessment=assessment,
                by=request.user,
                dimension=dimension,
                question=question,
                values=form.target_input(),
                first_action=form.action_input(prefix="action_"),
                today=today,
            )
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("Added to the plan: %(subject)s")
                % {"subject": _subject_name(dimension, question)},
            )
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/target_add.html",
        _context(
            assessment,
            found,
            form=form,
            dimension=dimension,
            question=question,
            starting_text=plan_reads.level_text(starting),
            at_top=starting is not None and suggested_level is None,
        ),
    )


def _subject_name(dimension: Any, question: Any) -> str:
    return f"{question.code}: {question.statement}" if question else dimension.name


@form_view
def target_change(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    target = access.target_in(found, pk)
    today = _today()
    rounds = plan_reads.later_rounds(assessment)

    def change_form(data: Any) -> TargetForm:
        return TargetForm(
            data,
            starting=target.starting_level,
            rounds=rounds,
            members=[],
            today=today,
            target=target,
            first_action=False,
        )

    form = change_form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.target_change(
                target=target,
                by=request.user,
                values=form.target_input(),
                expected_version=form.cleaned_data["version"],
                today=today,
            )
        except StaleChange as stale:
            # The page shows what is saved now, with its version, and says why.
            target.refresh_from_db()
            form = change_form(None)
            form.stale = str(stale)  # type: ignore[attr-defined]
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Target saved: %(subject)s") % {"subject": target.subject_name}
            )
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/target_change.html",
        _context(assessment, found, form=form, target=target),
    )


@form_view
def target_remove(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    target = access.target_in(found, pk)
    count = target.actions.count()
    return _remove(
        request,
        assessment,
        found,
        heading=gettext("Remove this target?"),
        button=gettext("Remove the target"),
        subject=target.subject_name,
        detail=ngettext(
            "%(count)s action and its progress updates will go too. The history of changes "
            "keeps a record.",
            "%(count)s actions and their progress updates will go too. The history of changes "
            "keeps a record.",
            count,
        )
        % {"count": count},
        remove=lambda: services.target_remove(target=target, by=request.user),
        done=gettext("Target removed: %(subject)s") % {"subject": target.subject_name},
    )


def _remove(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    found: Plan | None,
    *,
    heading: str,
    button: str,
    subject: str,
    detail: str,
    remove: Callable[[], None],
    done: str,
) -> HttpResponse:
    """A confirmation page whose button removes a target or an action."""
    form = ConfirmForm(request.POST if request.method == "POST" else None, button=button)
    if form.is_bound and form.is_valid():
        try:
            remove()
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/confirm.html",
        _context(
            assessment,
            found,
            form=form,
            heading=heading,
            subject=subject,
            detail=detail,
        ),
    )


@form_view
def action_add(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    target = access.target_in(found, pk)
    today = _today()
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        members=plan_reads.members(assessment.council_id),
        today=today,
    )
    if form.is_bound and form.is_valid():
        try:
            services.action_add(target=target, by=request.user, values=form.values(), today=today)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("Action added to %(subject)s") % {"subject": target.subject_name},
            )
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/action_form.html",
        _context(assessment, found, form=form, target=target, heading=gettext("Add an action")),
    )


@form_view
def action_change(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    action = access.action_in(found, pk)
    today = _today()
    members = plan_reads.members(assessment.council_id)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        members=members,
        today=today,
        action=action,
    )
    if form.is_bound and form.is_valid():
        try:
            services.action_change(
                action=action,
                by=request.user,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
                today=today,
            )
        except StaleChange as stale:
            action.refresh_from_db()
            form = ActionForm(None, members=members, today=today, action=action)
            form.stale = str(stale)  # type: ignore[attr-defined]
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Action saved"))
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/action_form.html",
        _context(
            assessment,
            found,
            form=form,
            target=action.target,
            action=action,
            heading=gettext("Change the action"),
        ),
    )


@form_view
def action_remove(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    action = access.action_in(found, pk)
    return _remove(
        request,
        assessment,
        found,
        heading=gettext("Remove this action?"),
        button=gettext("Remove the action"),
        subject=action.description,
        detail=gettext("Its progress updates will go too. The history of changes keeps a record."),
        remove=lambda: services.action_remove(action=action, by=request.user),
        done=gettext("Action removed"),
    )


@form_view
def action_progress(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, pk: int
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug)
    found = access.plan_of(assessment)
    action = access.action_in(found, pk)
    if not services.can_update_progress(request.user, action):
        raise Http404
    form = ProgressForm(request.POST if request.method == "POST" else None, action=action)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_progress(
                action=action,
                by=request.user,
                status=data["status"],
                blocked_reason=data["blocked_reason"],
                note=data["note"],
                expected_version=data["version"],
            )
        except StaleChange as stale:
            action.refresh_from_db()
            form = ProgressForm(None, action=action)
            form.stale = str(stale)  # type: ignore[attr-defined]
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Progress saved"))
            return redirect(_plan_url(assessment) + f"#action-{action.pk}")
    return render(
        request,
        "plans/progress.html",
        _context(
            assessment,
            found,
            form=form,
            action=action,
            updates=list(action.updates.select_related("by")[:20]),
        ),
    )


@form_view
def approve(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, EXECUTIVE)
    found = access.plan_of(assessment)
    if found is None:
        raise Http404
    if needed := strong_sign_in_needed(request, "approve the plan"):
        return needed
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, button=gettext("Approve the plan")
    )
    if form.is_bound and form.is_valid():
        try:
            services.plan_approve(plan=found, by=request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("You have approved the plan"))
            return redirect(_plan_url(assessment))
    page = plan_reads.plan_page(found, today=_today())
    return render(request, "plans/approve.html", _context(assessment, found, form=form, page=page))


@reads
def history(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    assessment, _ = access.assessment_for(
        request.user, gss_code, round_slug, [CouncilRole.LEAD, CouncilRole.EXECUTIVE]
    )
    found = access.plan_of(assessment)
    if found is None:
        raise Http404
    page = Paginator(found.events.select_related("actor"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/history.html",
        _context(
            assessment,
            found,
            page=page,
            events=[plan_reads.history_row(e) for e in page],
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1),
        ),
    )


@reads
def export(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, file_format: str
) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug)
    found = access.plan_of(assessment)
    if found is None or file_format not in ("csv", "xlsx"):
        raise Http404
    rows = exports.plan_rows(plan_reads.plan_page(found, today=_today()))
    name = f"plan-{assessment.council.gss_code}-{assessment.round.slug}.{file_format}"
    if file_format == "csv":
        response: HttpResponse = HttpResponse(
            exports.as_csv(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.as_xlsx(
                rows, sheet=gettext("Plan %(round)s") % {"round": assessment.round.name}
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Offers to share how the council improved (the lead) -----------------------------------------


@reads
def sharing(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = council_membership(request.user, gss_code, LEAD).council
    return render(
        request,
        "plans/sharing.html",
        {"council": council, "barriers": plan_reads.sharing_offers(council)},
    )


@form_view
def sharing_change(request: AuthenticatedHttpRequest, gss_code: str, code: str) -> HttpResponse:
    council = council_membership(request.user, gss_code, LEAD).council
    barrier = next((b for b in plan_reads.sharing_offers(council) if b.code == code), None)
    if barrier is None:
        raise Http404
    if needed := strong_sign_in_needed(request, "change what your council shares"):
        return needed
    withdrawing = request.method == "POST" and request.POST.get("withdraw")
    initial = (
        {
            "contact_name": barrier.offer.contact_name,
            "contact_email": barrier.offer.contact_email,
            "note": barrier.offer.note,
        }
        if barrier.offer
        else {}
    )
    form = SharingOfferForm(
        request.POST if request.method == "POST" and not withdrawing else None, initial=initial
    )
    try:
        if withdrawing:
            services.sharing_offer_withdraw(council=council, dimension_code=code, by=request.user)
            messages.success(
                request,
                gettext("You have withdrawn the offer for %(barrier)s") % {"barrier": barrier.name},
            )
            return redirect("plans:sharing", gss_code=council.gss_code)
        if form.is_bound and form.is_valid():
            services.sharing_offer_save(
                council=council,
                dimension_code=code,
                by=request.user,
                **form.cleaned_data,
            )
            messages.success(
                request, gettext("Saved the offer for %(barrier)s") % {"barrier": barrier.name}
            )
            return redirect("plans:sharing", gss_code=council.gss_code)
    except PlanError as error:
        form.add_error(None, str(error))
    return render(
        request,
        "plans/sharing_change.html",
        {"council": council, "barrier": barrier, "form": form},
    )


@form_view
def carry(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    assessment, _ = access.assessment_for(request.user, gss_code, round_slug, LEAD)
    found = access.plan_of(assessment)
    previous = services.previous_plan(assessment)
    if previous is None:
        raise Http404
    today = _today()
    already = plan_reads.carried_ids(found)
    actions = [a for a in plan_reads.open_actions(previous) if a.pk not in already]
    form = CarryForm(
        request.POST if request.method == "POST" else None, actions=actions, today=today
    )
    if form.is_bound and form.is_valid():
        try:
            carried = services.actions_carry(
                assessment=assessment,
                by=request.user,
                actions=form.chosen(),
                new_due_on=form.cleaned_data["new_due_on"],
                today=today,
            )
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Carried over %(count)s action", "Carried over %(count)s actions", len(carried)
                )
                % {"count": len(carried)},
            )
            return redirect(_plan_url(assessment))
    return render(
        request,
        "plans/carry.html",
        _context(assessment, found, form=form, previous=previous, actions=actions),
    )
