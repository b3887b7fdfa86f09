from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Council


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/directory.html", {"councils": Council.objects.all()})


def detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = get_object_or_404(Council, gss_code=gss_code)
    return render(request, "councils/detail.html", {"council": council})


def networks(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError
