"""Staff manage rounds: create and change them, open and close them early or late (each on a
confirmation page), and delete one nobody has started. Everyone else gets a 404."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.types import AuthenticatedHttpRequest
from core.formatting import date_text
from core.http import form_view, reads

from . import services
from .models import AssessmentRound, AssessmentStatus, RoundStatus
from .round_forms import ConfirmForm, RoundForm
from .services import AssessmentError


def _staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404("Managing rounds is for the service's staff.")


def _round(request: AuthenticatedHttpRequest, slug: str) -> AssessmentRound:
    _staff(request)
    return get_object_or_404(AssessmentRound.objects.select_related("framework"), slug=slug)


@reads
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    rounds = (
        AssessmentRound.objects.select_related("framework")
        .annotate(
            started=Count("assessments"),
            signed_off=Count(
                "assessments", filter=Q(assessments__status=AssessmentStatus.SIGNED_OFF)
            ),
        )
        .order_by("-opens_on")
    )
    return render(request, "assessments/rounds/index.html", {"rounds": rounds})


@form_view
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_save(round=form.apply(), by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Round %(round)s created") % {"round": round_.name})
            return redirect("rounds:index")
    return render(request, "assessments/rounds/form.html", {"form": form, "round": None})


@form_view
def edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    form = RoundForm(request.POST or None, round=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_save(round=form.apply(), by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Round %(round)s saved") % {"round": round_.name})
            return redirect("rounds:index")
    return render(request, "assessments/rounds/form.html", {"form": form, "round": round_})


@form_view
def open_round(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    reasons = services.round_open_warnings(round_, today=timezone.localdate())
    refusal = (
        "" if round_.status == RoundStatus.UPCOMING else gettext("This round has already opened.")
    )
    if not refusal and not round_.framework.is_published:
        refusal = gettext("Its framework is not published, so it cannot open.")
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        button=gettext("Open the round now"),
        reasons=reasons,
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_open(round=round_, by=request.user, confirmed=bool(reasons))
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("Round %(round)s is open. Every council's leads have been emailed")
                % {"round": round_.name},
            )
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": gettext("Open %(round)s now") % {"round": round_.name},
            "explanation": gettext(
                "Councils can start their assessments as soon as it opens, and every council's "
                "assessment leads are emailed. It is due to open on %(date)s by itself."
            )
            % {"date": date_text(round_.opens_on)},
            "reasons": reasons,
            "refusal": refusal,
        },
    )


@form_view
def close_round(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    refusal = (
        "" if round_.status == RoundStatus.OPEN else gettext("Only an open round can be closed.")
    )
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, button=gettext("Close the round now")
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_close(round=round_, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Round %(round)s is closed") % {"round": round_.name})
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": gettext("Close %(round)s now") % {"round": round_.name},
            "explanation": gettext(
                "Once closed, no council can change its answers or sign off, and the round's "
                "final peer figures are released. It is due to close after %(date)s by itself."
            )
            % {"date": date_text(round_.closes_on)},
            "reasons": [],
            "refusal": refusal,
        },
    )


@form_view
def delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    started = round_.assessments.count()
    refusal = (
        ngettext(
            "%(count)s council has started this round, so it cannot be deleted: their answers "
            "and any signed-off results are kept.",
            "%(count)s councils have started this round, so it cannot be deleted: their answers "
            "and any signed-off results are kept.",
            started,
        )
        % {"count": started}
        if started
        else ""
    )
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, button=gettext("Delete the round")
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_delete(round=round_, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Round %(round)s deleted") % {"round": round_.name})
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": gettext("Delete %(round)s") % {"round": round_.name},
            "explanation": gettext(
                "No council has started this round. Deleting it cannot be undone."
            ),
            "reasons": [],
            "refusal": refusal,
        },
    )
