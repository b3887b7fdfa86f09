"""The read-only JSON API at /api/v1/ (django-ninja): the OpenAPI schema at
/api/v1/openapi.json and interactive documentation at /api/v1/docs.

Everything but the open data needs a personal API token (`Authorization: Bearer cdmp_...`),
which reaches one council's data only: every lookup starts from the token's council, so another
council's rounds, scores and plans are 404s. Each token is rate limited (429 with Retry-After).

The API is a machine contract, so it answers in English whatever the client's Accept-Language:
its keys, its schema and documentation, its error details (401, 404, 429) and the words in its
values (barrier names, "Overall score"), so a BI report built on it never changes with the
language of the computer that refreshes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from core.http import reads

from . import reads as api_reads
from . import services
from .models import ApiToken
from .schemas import (
    CouncilOut,
    EditionOut,
    GroupOut,
    Message,
    PlanOut,
    RoundOut,
    ScoresOut,
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return services.api_token_use(token)


class TokenRateThrottle(AuthRateThrottle):
    """Counts each token's requests (in the cache) against API_RATE_LIMIT, read when the request
    comes, so a deployment (or a test) can change the limit without a restart of this module."""

    def __init__(self) -> None:
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        token = getattr(request, "auth", None)
        ident = token.digest if isinstance(token, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PortalApi(NinjaAPI):
    def create_response(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().create_response(request, *args, **kwargs)
        # A council's own figures: never kept by a browser or a proxy.
        add_never_cache_headers(response)
        return response


api = PortalApi(
    title="Council Digital Maturity Portal API",
    version="1",
    description=(
        "Read-only. A council's own rounds, scores, positions among its peer groups (from the "
        "published release, as the dashboard shows them) and plan, with a personal API token "
        "its assessment lead makes; and the published open data, without one."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
)

# Every answer the schema documents, so a client (and schemathesis) knows what to expect.
ERRORS: dict[int, type[Message]] = {400: Message, 401: Message, 404: Message, 429: Message}


def _council(request: HttpRequest) -> Any:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.council


@api.get("/council", response={200: CouncilOut, **ERRORS}, summary="The token's council")
def council(request: HttpRequest) -> Any:
    return _council(request)


@api.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="The council's rounds")
def rounds(request: HttpRequest) -> Any:
    return api_reads.rounds(_council(request))


@api.get(
    "/rounds/{slug}/scores",
    response={200: ScoresOut, **ERRORS},
    summary="Signed-off scores per barrier and question",
)
def scores(request: HttpRequest, slug: str) -> Any:
    return api_reads.scores(_council(request), slug) or _not_found()


@api.get(
    "/rounds/{slug}/positions",
    response={200: list[GroupOut], **ERRORS},
    summary="Where the council stands in each of its peer groups",
)
def positions(request: HttpRequest, slug: str) -> Any:
    found = api_reads.positions(_council(request), slug)
    return found if found is not None else _not_found()


@api.get("/rounds/{slug}/plan", response={200: PlanOut, **ERRORS}, summary="The round's plan")
def plan(request: HttpRequest, slug: str) -> Any:
    return api_reads.plan(_council(request), slug) or _not_found()


@api.get(
    "/open-data",
    response={200: list[EditionOut], **ERRORS},
    auth=None,
    summary="Published open data editions (no token needed)",
)
def open_data(request: HttpRequest) -> Any:
    return [
        {
            **edition,
            "csv_url": request.build_absolute_uri(
                reverse("open-data:edition-csv", args=[edition["round"], edition["edition"]])
            ),
            "json_url": request.build_absolute_uri(
                reverse("open-data:edition-json", args=[edition["round"], edition["edition"]])
            ),
        }
        for edition in api_reads.open_data_editions()
    ]


def _not_found() -> Any:
    raise HttpError(404, "Not found")


def _public(view: Callable[..., Any]) -> Callable[..., Any]:
    """The API answers for itself (a token, or 401), never with the sign-in page: each of its
    views is marked as not needing a signed-in person, the way @login_not_required does."""

    def answer(request: Any, *args: Any, **kwargs: Any) -> Any:
        # In English, whatever the request's language (the module's docstring).
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    answer.login_required = False  # type: ignore[attr-defined]
    answer.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    # It only reads: GET and HEAD, anything else a 405 (core.http).
    return reads(answer)


def api_urls() -> tuple[list[Any], str, str]:
    patterns, app, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _public(pattern.callback)
    return patterns, app, namespace
