from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import council_for_lead
from accounts.types import AuthenticatedHttpRequest
from core.http import form_view, reads

from . import services
from .forms import TokenForm
from .models import ApiToken

PERIODS = {
    "s": _("%(number)s a second"),
    "m": _("%(number)s a minute"),
    "h": _("%(number)s an hour"),
    "d": _("%(number)s a day"),
}


def rate_words(rate: str) -> str:
    """django-ninja's "120/m" as people say it, in the active language: "120 a minute"."""
    number, _sep, period = rate.partition("/")
    words = PERIODS.get(period[:1])
    if words is None:
        return f"{number} a {period}"  # not a rate django-ninja reads: never in settings
    return str(words) % {"number": number}


# The token just made, shown once on the next page and then forgotten.
NEW_TOKEN_KEY = "api_token_new"


@reads
def tokens(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = council_for_lead(request.user, gss_code)
    shown = request.session.pop(NEW_TOKEN_KEY, None)
    new = None
    if shown and shown.get("council") == council.pk:
        new = {"name": shown["name"], "text": shown["text"]}
    return render(
        request,
        "api/tokens.html",
        {
            "council": council,
            "tokens": ApiToken.objects.filter(council=council).select_related("created_by"),
            "new": new,
            "api_url": request.build_absolute_uri(reverse("api:council")),
            "docs_url": request.build_absolute_uri(reverse("api:openapi-view")),
            "rate": rate_words(settings.API_RATE_LIMIT),
        },
    )


@form_view
def token_new(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = council_for_lead(request.user, gss_code)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        token, text = services.api_token_create(
            council=council,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            by=request.user,
        )
        request.session[NEW_TOKEN_KEY] = {"council": council.pk, "name": token.name, "text": text}
        return redirect("api-tokens:list", gss_code=council.gss_code)
    return render(request, "api/token_new.html", {"council": council, "form": form})


@form_view
def token_revoke(request: AuthenticatedHttpRequest, gss_code: str, pk: int) -> HttpResponse:
    council = council_for_lead(request.user, gss_code)
    token = get_object_or_404(ApiToken, pk=pk, council=council)
    if request.method == "POST":
        services.api_token_revoke(token=token, by=request.user)
        messages.success(
            request,
            gettext("The token “%(name)s” no longer works") % {"name": token.name},
        )
        return redirect("api-tokens:list", gss_code=council.gss_code)
    return render(request, "api/token_revoke.html", {"council": council, "token": token})
