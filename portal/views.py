from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import CouncilRole
from accounts.types import AuthenticatedHttpRequest
from core.http import reads

from .waiting import waiting_for


@reads
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = request.user.council_memberships.select_related("council").order_by(
        "council__short_name"
    )
    networks = [m.network for m in request.user.network_memberships.select_related("network")]
    return render(
        request,
        "portal/home.html",
        {
            "memberships": memberships,
            "networks": networks,
            "lead_role": CouncilRole.LEAD,
            "waiting": waiting_for(request.user),
        },
    )
