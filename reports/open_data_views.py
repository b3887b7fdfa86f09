"""Open data pages: public (no sign-in) for published editions; publishing is for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from accounts.two_factor import strong_sign_in_needed
from accounts.types import AuthenticatedHttpRequest
from assessments.models import AssessmentRound
from benchmarks.models import Release
from benchmarks.services import min_group_size
from core.http import form_view, reads

from . import open_data, services
from .forms import PublishOpenDataForm
from .models import OpenDataEdition

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@login_not_required
@reads
def index(request: HttpRequest) -> HttpResponse:
    editions = list(
        OpenDataEdition.objects.without_files()
        .select_related("round")
        .order_by("-round__opens_on", "round_id", "-number")
    )
    rounds: dict[int, list[OpenDataEdition]] = {}
    for edition in editions:
        rounds.setdefault(edition.round_id, []).append(edition)
    return render(
        request,
        "reports/open_data/index.html",
        {
            "rounds": [(items[0].round, items) for items in rounds.values()],
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "method": open_data.method_notes(min_group_size()),
            "min_group": min_group_size(),
        },
    )


def _file(edition: OpenDataEdition | None, extension: str) -> HttpResponse:
    if edition is None:
        raise Http404("This round has not been published as open data.")
    data = edition.csv_file if extension == "csv" else edition.json_file
    digest = edition.csv_sha256 if extension == "csv" else edition.json_sha256
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{edition.file_name(extension)}"'
    response["ETag"] = f'"{digest}"'
    return response


def _latest(slug: str) -> OpenDataEdition | None:
    return (
        OpenDataEdition.objects.select_related("round")
        .filter(round__slug=slug)
        .order_by("-number")
        .first()
    )


@login_not_required
@reads
def latest_file(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """The round's latest edition, at the address that stays the same across corrections."""
    return _file(_latest(slug), extension)


@login_not_required
@reads
def edition_file(request: HttpRequest, slug: str, number: int, extension: str) -> HttpResponse:
    edition = (
        OpenDataEdition.objects.select_related("round")
        .filter(round__slug=slug, number=number)
        .first()
    )
    return _file(edition, extension)


def _staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404("Publishing open data is for the service's staff.")


@reads
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    rounds = (
        AssessmentRound.objects.annotate(
            has_results=Exists(Release.objects.filter(round=OuterRef("pk"))),
            editions=Count("open_data_editions"),
        )
        .filter(has_results=True)
        .order_by("-opens_on")
    )
    return render(request, "reports/open_data/manage.html", {"rounds": rounds})


@form_view
def publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The confirmation page: exactly what the next edition would make public, then publish."""
    _staff(request)
    round_ = get_object_or_404(AssessmentRound, slug=slug)
    if needed := strong_sign_in_needed(request, "publish open data"):
        return needed
    try:
        plan = open_data.edition_plan(round_, published_at=timezone.now())
    except open_data.CannotPublish as refused:
        raise Http404(str(refused)) from None
    correction = plan.previous is not None
    form = PublishOpenDataForm(
        request.POST or None, correction=correction, initial={"release": plan.release.pk}
    )
    moved = False
    if request.method == "POST" and not plan.nothing_new and form.is_valid():
        try:
            edition = services.open_data_publish(
                round_id=round_.pk,
                by=request.user,
                release_id=form.cleaned_data["release"],
                correction=form.cleaned_data.get("correction", ""),
            )
        except open_data.FiguresMoved:
            moved = True
            form = PublishOpenDataForm(correction=correction, initial={"release": plan.release.pk})
        except open_data.CannotPublish as refused:
            raise Http404(str(refused)) from None
        else:
            messages.success(
                request,
                gettext("Open data for %(round)s published: edition %(number)s")
                % {"round": round_.name, "number": edition.number},
            )
            return redirect("reports:open-data-manage")
    return render(
        request,
        "reports/open_data/publish.html",
        {"plan": plan, "form": form, "moved": moved, "min_group": min_group_size()},
    )
