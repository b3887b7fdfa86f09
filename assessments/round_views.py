"""Staff manage rounds: create and change them, open and close them early or late (each on a
confirmation page), and delete one nobody has started. Everyone else gets a 404."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.types import AuthenticatedHttpRequest
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
            messages.success(request, f"Round {round_.name} created")
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
            messages.success(request, f"Round {round_.name} saved")
            return redirect("rounds:index")
    return render(request, "assessments/rounds/form.html", {"form": form, "round": round_})


@form_view
def open_round(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    reasons = services.round_open_warnings(round_, today=timezone.localdate())
    refusal = "" if round_.status == RoundStatus.UPCOMING else "This round has already opened."
    if not refusal and not round_.framework.is_published:
        refusal = "Its framework is not published, so it cannot open."
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        button="Open the round now",
        reasons=reasons,
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_open(round=round_, by=request.user, confirmed=bool(reasons))
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Round {round_.name} is open. Every council's leads have been emailed"
            )
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": f"Open {round_.name} now",
            "explanation": f"Councils can start their assessments as soon as it opens, and every "
            f"council's assessment leads are emailed. It is due to open on "
            f"{round_.opens_on:%-d %B %Y} by itself.",
            "reasons": reasons,
            "refusal": refusal,
        },
    )


@form_view
def close_round(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    refusal = "" if round_.status == RoundStatus.OPEN else "Only an open round can be closed."
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, button="Close the round now"
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_close(round=round_, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Round {round_.name} is closed")
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": f"Close {round_.name} now",
            "explanation": "Once closed, no council can change its answers or sign off, and the "
            f"round's final peer figures are released. It is due to close after "
            f"{round_.closes_on:%-d %B %Y} by itself.",
            "reasons": [],
            "refusal": refusal,
        },
    )


@form_view
def delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = _round(request, slug)
    started = round_.assessments.count()
    refusal = (
        f"{started} council{'s have' if started != 1 else ' has'} started this round, so it "
        "cannot be deleted: their answers and any signed-off results are kept."
        if started
        else ""
    )
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, button="Delete the round"
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.round_delete(round=round_, by=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Round {round_.name} deleted")
            return redirect("rounds:index")
    return render(
        request,
        "assessments/rounds/confirm.html",
        {
            "round": round_,
            "form": form,
            "heading": f"Delete {round_.name}",
            "explanation": "No council has started this round. Deleting it cannot be undone.",
            "reasons": [],
            "refusal": refusal,
        },
    )
