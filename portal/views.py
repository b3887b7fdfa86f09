from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import CouncilRole
from accounts.types import AuthenticatedHttpRequest
from core.http import reads
from councils.models import name_order

from . import your_data as your_data_files
from .waiting import waiting_for


@reads
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = request.user.council_memberships.select_related("council").order_by(
        name_order("council__")
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


@reads
def your_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/your_data.html")


@reads
def your_data_file(request: AuthenticatedHttpRequest, extension: str) -> HttpResponse:
    """Everything the portal holds about the person asking, as JSON or CSV."""
    if extension == "json":
        body, content_type = your_data_files.as_json(request.user), "application/json"
    else:
        body, content_type = your_data_files.as_csv(request.user), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="your-portal-data.{extension}"'
    return response
