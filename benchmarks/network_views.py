"""A network's dashboard, for the network's analysts only: anyone else gets a 404, as if the
network did not exist."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.access import network_for_analyst
from accounts.types import AuthenticatedHttpRequest
from assessments.models import AssessmentRound
from core.http import reads

from . import charts
from .forms import NetworkRoundForm
from .network_dashboard import network_dashboard
from .planned_targets import planned_targets


@reads
def network(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    found = network_for_analyst(request.user, slug)
    try:
        dashboard = network_dashboard(found, round_slug=request.GET.get("round"))
    except AssessmentRound.DoesNotExist:
        raise Http404("No results for this round in this network.") from None
    form = NetworkRoundForm(
        initial={"round": dashboard.round.slug if dashboard.round else None},
        rounds=dashboard.rounds,
        members=dashboard.members,
    )
    return render(
        request,
        "benchmarks/network.html",
        {
            "dashboard": dashboard,
            "form": form,
            # By name in the template: "chart-network-heatmap" is charts.network_heatmap.
            "planned": planned_targets(found, dashboard.round.pk) if dashboard.round else None,
            "charts": {
                c.id.removeprefix("chart-").replace("-", "_"): c
                for c in charts.network_charts(dashboard)
            },
        },
    )
