"""Benchmark dashboards. Each view loads through an access helper, so another council's or
network's dashboard is a 404, like one that does not exist."""

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import council_membership
from accounts.models import CouncilMembership, CouncilRole
from accounts.types import AuthenticatedHttpRequest
from assessments.models import AssessmentRound
from core.http import reads
from councils.models import name_order
from plans import reads as plan_reads

from . import chart_data, charts
from .climbers import climbers_for
from .dashboard import CouncilDashboard, council_dashboard
from .forms import PeerGroupForm
from .models import PeerGroup


@reads
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the dashboard of a person's council; a choice if they have several."""
    memberships = list(
        CouncilMembership.objects.for_user(request.user)
        .select_related("council")
        .order_by(name_order("council__"))
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
            # The chart data files are for the group and round on the page.
            "chart_query": "?"
            + urlencode(
                {
                    "group": dashboard.group.slug if dashboard.group else "",
                    "round": dashboard.round.slug if dashboard.round else "",
                }
            ),
            **_plan_context(membership, dashboard),
        },
    )


def _plan_context(membership: CouncilMembership, dashboard: CouncilDashboard) -> dict[str, Any]:
    """The plan made from the round shown, what the previous plan achieved in it, whether the
    person may add the dashboard's priorities to the plan (the lead, while it can change), and
    councils that have climbed those priorities and offered to say how."""
    if dashboard.round is None:
        return {}
    plan, planned = plan_reads.plans_around(membership.council, dashboard.round)
    found = climbers_for(
        membership.council,
        [h.subject.code for h in dashboard.priorities],
        neighbours=dashboard.neighbour_ids,
    )
    return {
        "climbing": [
            (h.subject.name, found[h.subject.code])
            for h in dashboard.priorities
            if found.get(h.subject.code)
        ],
        "plan": plan,
        "planned": planned,
        "add_to_plan": membership.role == CouncilRole.LEAD
        and not (plan is not None and plan.is_read_only),
    }


@reads
def council_chart_data(
    request: AuthenticatedHttpRequest, gss_code: str, chart: str
) -> HttpResponse:
    """The data under one of the dashboard's charts, as CSV, for the same group and round."""
    membership = council_membership(request.user, gss_code)
    if chart not in chart_data.CHARTS:
        raise Http404("No such chart.")
    try:
        dashboard = council_dashboard(
            membership.council,
            group_slug=request.GET.get("group"),
            round_slug=request.GET.get("round"),
        )
    except (PeerGroup.DoesNotExist, AssessmentRound.DoesNotExist):
        raise Http404("No such group or round for this council.") from None
    out = io.StringIO()
    csv.writer(out).writerows(chart_data.chart_rows(dashboard, chart))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    round_part = f"-{dashboard.round.slug}" if dashboard.round else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{membership.council.gss_code}{round_part}-{chart}.csv"'
    )
    return response
