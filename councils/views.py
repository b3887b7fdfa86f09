from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from accounts.access import council_for_lead, network_for_analyst
from accounts.models import NetworkMembership
from accounts.two_factor import strong_sign_in_needed
from accounts.types import AuthenticatedHttpRequest
from core.http import form_view, reads

from . import services
from .forms import CouncilFilterForm, SharingForm, region_choices
from .models import Council, Network, SharingEvent, name_order

PAGE_SIZE = 50
SHARING_HISTORY_LIMIT = 50

# Only what the directory table shows, so a page stays one small query.
_LIST_FIELDS = (
    "gss_code",
    "name_en",
    "name_cy",
    "short_name_en",
    "short_name_cy",
    "council_type",
    "nation",
    "region",
    "population",
)


@reads
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CouncilFilterForm(request.GET, regions=region_choices())
    councils = form.filter(Council.objects.only(*_LIST_FIELDS).in_name_order())
    # get_page shows page 1 for a page number that is not a number, and the last page
    # for one past the end, rather than an error.
    page = Paginator(councils, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "councils/directory.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


@reads
def detail(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    code = gss_code.upper()
    council = (
        Council.objects.filter(gss_code=code)
        .select_related("parent_county")
        .prefetch_related(
            "former_codes",
            Prefetch(
                "districts",
                queryset=Council.objects.only(*_LIST_FIELDS, "parent_county").in_name_order(),
            ),
            Prefetch("networks", queryset=Network.objects.only("name")),
        )
        .first()
    )
    if council is None:
        council = Council.objects.filter(former_codes__gss_code=code).only("gss_code").first()
        if council is None:
            raise Http404("No council has this GSS code.")
    if council.gss_code != gss_code:
        # A former or lower-case code: send people, and their bookmarks, to the current one.
        return redirect("councils:detail", gss_code=council.gss_code, permanent=True)
    return render(request, "councils/detail.html", {"council": council})


@reads
def networks(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = list(
        NetworkMembership.objects.filter(user=request.user, user__is_active=True)
        .select_related("network")
        .annotate(member_count=Count("network__members"))
        .order_by("network__name")
    )
    if not memberships:
        raise Http404("You are not an analyst for any network.")
    return render(request, "councils/networks.html", {"memberships": memberships})


@reads
def network_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    network = network_for_analyst(request.user, slug)
    members = network.members.only(*_LIST_FIELDS).order_by(name_order())
    return render(request, "councils/network_detail.html", {"network": network, "members": members})


@form_view
def sharing(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = council_for_lead(request.user, gss_code)
    if needed := strong_sign_in_needed(request, "change sharing"):
        return needed
    networks = list(council.networks.only("name").order_by("name"))
    current = dict(council.network_sharing.values_list("network_id", "by_name"))
    form = SharingForm(
        request.POST if request.method == "POST" else None, networks=networks, current=current
    )
    if form.is_bound and form.is_valid():
        try:
            services.sharing_set_many(council=council, choices=form.choices(), by=request.user)
        except services.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Sharing choices saved"))
            return redirect("councils:sharing", gss_code=council.gss_code)
    events = list(
        SharingEvent.objects.filter(council=council).select_related("actor", "network")[
            :SHARING_HISTORY_LIMIT
        ]
    )
    return render(
        request,
        "councils/sharing.html",
        {
            "council": council,
            "networks": networks,
            "form": form,
            "events": events,
            "history_limit": SHARING_HISTORY_LIMIT,
        },
    )
