"""Benchmark dashboards. Each view loads through an access helper, so another council's or
network's dashboard is a 404, like one that does not exist."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import council_membership
from accounts.models import CouncilMembership
from accounts.types import AuthenticatedHttpRequest
from assessments.models import AssessmentRound
from core.http import reads

from . import charts
from .dashboard import council_dashboard
from .forms import PeerGroupForm
from .models import PeerGroup


@reads
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the dashboard of a person's council; a choice if they have several."""
    memberships = list(
        CouncilMembership.objects.for_user(request.user)
        .select_related("council")
        .order_by("council__name")
    )
    councils = list({m.council.pk: m.council for m in memberships}.values())
    if not councils:
        raise Http404("You are not a member of any council.")
    if len(councils) == 1:
        return redirect("benchmarks:council", gss_code=councils[0].gss_code)
    return render(request, "benchmarks/index.html", {"councils": councils})


@reads
def council(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    membership = council_membership(request.user, gss_code)
    try:
        dashboard = council_dashboard(
            membership.council,
            group_slug=request.GET.get("group"),
            round_slug=request.GET.get("round"),
        )
    except PeerGroup.DoesNotExist:
        # A group the council is not in, or another council's neighbours: as if it did not exist.
        raise Http404("No such peer group for this council.") from None
    except AssessmentRound.DoesNotExist:
        raise Http404("This council has not signed off that round.") from None
    form = PeerGroupForm(
        initial={
            "group": dashboard.group.slug if dashboard.group else None,
            "round": dashboard.round.slug if dashboard.round else None,
        },
        rounds=dashboard.rounds,
        groups=dashboard.groups,
        min_group=dashboard.min_group,
    )
    return render(
        request,
        "benchmarks/council.html",
        {
            "dashboard": dashboard,
            "form": form,
            "charts": {c.id.removeprefix("chart-"): c for c in charts.council_charts(dashboard)},
            "membership": membership,
        },
    )
