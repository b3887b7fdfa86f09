"""Report pages. Each loads its council, network or report through an access helper, so a
report someone may not have is a 404, like one that does not exist."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from accounts.access import council_membership, network_for_analyst
from accounts.types import AuthenticatedHttpRequest
from assessments.models import Assessment, AssessmentRound
from benchmarks.dashboard import GroupChoice, council_dashboard, visible_groups
from benchmarks.network_dashboard import rounds_with_figures
from core.http import action, form_view, reads
from councils.models import Network

from . import council_data as council_data_files
from . import services
from .access import COUNCIL_REPORT_ROLES, report_for
from .forms import CouncilReportForm, SectorReportForm
from .models import Report, ReportChunk, ReportStatus

RECENT = 20


@form_view
def council_reports(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = council_membership(request.user, gss_code, roles=COUNCIL_REPORT_ROLES).council
    latest = (
        Assessment.objects.signed_off()
        .for_council(council)
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
        .first()
    )
    groups = visible_groups(council)
    dashboard = council_dashboard(council) if latest is not None else None
    # The group the dashboard was showing (its link passes it), else the dashboard's own
    # default: the closest group with figures to show.
    shown = request.GET.get("group", "")
    chosen = next(
        (g.slug for g in groups if g.slug == shown),
        dashboard.group.slug if dashboard and dashboard.group else None,
    )
    form = CouncilReportForm(
        request.POST if request.method == "POST" else None,
        groups=groups,
        without_figures={
            c.slug for c in (dashboard.groups if dashboard else []) if not _published(c)
        },
        initial={"group": chosen},
    )
    if request.method == "POST" and latest is not None and form.is_valid():
        report = services.report_request(
            kind=form.cleaned_data["kind"],
            by=request.user,
            round=latest.round,
            council=council,
            peer_group_slug=form.cleaned_data["group"],
        )
        return redirect("reports:detail", pk=report.pk)
    reports = list(Report.objects.for_council(council).select_related("round")[:RECENT])
    names = {g.slug: g.name for g in groups}
    for report in reports:
        report.group_name = names.get(report.peer_group_slug, "")  # type: ignore[attr-defined]
    return render(
        request,
        "reports/council.html",
        {
            "council": council,
            "latest": latest,
            "form": form,
            "reports": reports,
            "expiry_days": settings.REPORT_EXPIRY_DAYS,
            "assessments": Assessment.objects.for_council(council)
            .select_related("round")
            .order_by("-round__opens_on", "-round_id"),
        },
    )


@form_view
def network_reports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _sector_page(request, network_for_analyst(request.user, slug))


@form_view
def uk_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404("UK-wide reports are for the service's staff.")
    return _sector_page(request, None)


def _sector_page(request: AuthenticatedHttpRequest, network: Network | None) -> HttpResponse:
    signed_off = Assessment.objects.signed_off().filter(round=OuterRef("pk"))
    if network is not None:
        signed_off = signed_off.filter(council__networks=network)
    rounds = list(AssessmentRound.objects.filter(Exists(signed_off)).order_by("-opens_on", "-pk"))
    # The round the dashboard was showing (its link passes it), else the latest with figures.
    with_figures = rounds_with_figures(network) if rounds else set()
    chosen = next(
        (r.slug for r in rounds if r.slug == request.GET.get("round")),
        next((r.slug for r in rounds if r.pk in with_figures), None),
    )
    form = SectorReportForm(
        request.POST if request.method == "POST" else None,
        rounds=rounds,
        initial={"round": chosen} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        report = services.report_request(
            kind=form.cleaned_data["kind"],
            by=request.user,
            round=form.rounds[form.cleaned_data["round"]],
            network=network,
        )
        return redirect("reports:detail", pk=report.pk)
    reports = Report.objects.for_network(network).select_related("round")[:RECENT]
    return render(
        request,
        "reports/sector.html",
        {
            "network": network,
            "rounds": rounds,
            "form": form,
            "reports": reports,
            "expiry_days": settings.REPORT_EXPIRY_DAYS,
        },
    )


@reads
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk)
    if report.is_pending:
        report = services.report_fail_if_overdue(report=report)
    context = {"report": report, "expiry_days": settings.REPORT_EXPIRY_DAYS, **_back(report)}
    return render(request, "reports/detail.html", context)


@reads
def status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """For the status page's script: it reloads the page once the status changes."""
    report = report_for(request.user, pk)
    if report.is_pending:
        report = services.report_fail_if_overdue(report=report)
    return JsonResponse({"status": report.status})


@action
def retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk)
    if not report.can_retry:
        messages.info(request, gettext("This report does not need trying again."))
        return redirect("reports:detail", pk=report.pk)
    services.report_retry(report=report, by=request.user)
    return redirect("reports:detail", pk=report.pk)


@reads
def download(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    report = report_for(request.user, pk)
    if report.status != ReportStatus.READY:
        raise Http404("This report is not ready, or has expired.")
    response = StreamingHttpResponse(_chunks(report), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Content-Length"] = str(report.size)
    response["Cache-Control"] = "private, no-store"
    return response


def _chunks(report: Report) -> Iterator[bytes]:
    # One chunk in memory at a time, whatever the size of the file.
    numbers = list(
        ReportChunk.objects.filter(report=report).order_by("number").values_list("pk", flat=True)
    )
    for pk in numbers:
        data = ReportChunk.objects.filter(pk=pk).values_list("data", flat=True).get()
        yield bytes(data)


def _back(report: Report) -> dict[str, str]:
    """Where the page's back link goes: the list the report was made from."""
    if report.council is not None:
        return {"back_url": reverse("reports:council", args=[report.council.gss_code])}
    if report.network is not None:
        return {"back_url": reverse("reports:network", args=[report.network.slug])}
    return {"back_url": reverse("reports:uk")}


def _published(choice: GroupChoice) -> bool:
    return choice.overall is not None and choice.overall.published


def _own_assessment(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> Any:
    council = council_membership(request.user, gss_code, roles=COUNCIL_REPORT_ROLES).council
    return get_object_or_404(
        Assessment.objects.select_related("round", "council"),
        council=council,
        round__slug=round_slug,
    )


@reads
def council_data(request: AuthenticatedHttpRequest, gss_code: str, round_slug: str) -> HttpResponse:
    """The council's own data from one assessment, to download, with what each column means."""
    assessment = _own_assessment(request, gss_code, round_slug)
    return render(
        request,
        "reports/council_data.html",
        {
            "assessment": assessment,
            "council": assessment.council,
            "tables": council_data_files.TABLES,
        },
    )


@reads
def council_data_csv(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str, table: str
) -> StreamingHttpResponse:
    assessment = _own_assessment(request, gss_code, round_slug)
    found = council_data_files.TABLES_BY_SLUG.get(table)
    if found is None:
        raise Http404("No such table.")
    response = StreamingHttpResponse(
        council_data_files.csv_lines(found, assessment), content_type="text/csv; charset=utf-8"
    )
    name = council_data_files.file_name(assessment, found.slug, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@reads
def council_data_xlsx(
    request: AuthenticatedHttpRequest, gss_code: str, round_slug: str
) -> FileResponse:
    assessment = _own_assessment(request, gss_code, round_slug)
    return FileResponse(
        council_data_files.workbook(assessment),
        as_attachment=True,
        filename=council_data_files.file_name(assessment, "all", "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
