"""Open data pages: public (no sign-in) for published rounds; publishing is for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.types import AuthenticatedHttpRequest
from assessments.models import AssessmentRound
from benchmarks.models import Release
from benchmarks.services import min_group_size
from core.http import action, reads

from . import open_data, services
from .models import PublishedRound


@login_not_required
@reads
def index(request: HttpRequest) -> HttpResponse:
    published = list(PublishedRound.objects.select_related("round"))
    return render(
        request,
        "reports/open_data/index.html",
        {
            "published": published,
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "method": open_data.method_notes(min_group_size()),
        },
    )


def _published(slug: str) -> PublishedRound:
    return get_object_or_404(PublishedRound.objects.select_related("round"), round__slug=slug)


@login_not_required
@reads
def round_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    published = _published(slug)
    response = StreamingHttpResponse(
        open_data.csv_rows(published.round, release_id=published.release_id),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="digital-maturity-{slug}.csv"'
    return response


@login_not_required
@reads
def round_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    published = _published(slug)
    chunks = open_data.json_chunks(
        published.round,
        release_id=published.release_id,
        published_at=published.published_at.isoformat(),
        csv_url=request.build_absolute_uri(reverse("open-data:csv", args=[slug])),
    )
    return StreamingHttpResponse(chunks, content_type="application/json")


@reads
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404("Publishing open data is for the service's staff.")
    rounds = (
        AssessmentRound.objects.annotate(
            has_results=Exists(Release.objects.filter(round=OuterRef("pk"))),
            is_published=Exists(PublishedRound.objects.filter(round=OuterRef("pk"))),
        )
        .filter(has_results=True)
        .order_by("-opens_on")
    )
    return render(request, "reports/open_data/manage.html", {"rounds": rounds})


@action
def publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    round_ = get_object_or_404(AssessmentRound, slug=slug)
    if request.POST.get("action") == "withdraw":
        services.open_data_withdraw(round=round_)
        messages.success(request, f"Open data for {round_.name} withdrawn")
    else:
        try:
            services.open_data_publish(round=round_, by=request.user)
        except ValueError as error:
            raise Http404(str(error)) from None
        messages.success(request, f"Open data for {round_.name} published")
    return redirect("reports:open-data-manage")
