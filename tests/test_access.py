"""Deny by default: every URL sends an anonymous visitor to sign in, except an allow-list.

The URLs are found by walking config.urls, so a new view is covered the day it is added.
If this fails for a new page that really must be public, mark the view
@login_not_required and add its URL name to PUBLIC below, in the same change.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.support import PROJECT_ROOT

# URL names (namespace:name) that anyone may open without signing in.
PUBLIC = {
    "accounts:sign-in",
    "accounts:signed-out",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:accept-invitation",
    # The steps of signing in: a code after a password, and single sign-on.
    "accounts:sign-in-code",
    "accounts:sign-in-recovery-code",
    "accounts:sso-callback",
    "accounts:sso-again",
    # The header's English / Cymraeg switch, on every page, signed in or not.
    "accounts:language",
    "core:healthz",
    "core:favicon",
    "core:accessibility",
    "core:privacy",
    "core:about-data",
    "assessments:guidance",
    # Open data: published rounds' aggregates for public groups, never a council by name.
    "open-data:index",
    "open-data:csv",
    "open-data:json",
    "open-data:edition-csv",
    "open-data:edition-json",
}

# Plausible values for path converters, by parameter name and then by converter.
SAMPLE_BY_NAME = {
    "gss_code": "E06000001",
    "pk": "1",
    "token": "x",
    "slug": "x",
    "uidb64": "MQ",
    "app_label": "accounts",
}
SAMPLE_BY_CONVERTER = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": str(0).zfill(32)}
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    path: str
    name: str  # namespace:name, or the view's dotted path when the URL has no name
    # The path with its <converter:name> parameters left in (regex parts filled).
    path_template: str = ""

    def __str__(self) -> str:
        return f"{self.path} ({self.name})"


def _fill_route(route: str) -> str:
    def sample(match: re.Match) -> str:
        name, converter = match["name"], match["converter"] or "str"
        if name in SAMPLE_BY_NAME:
            return SAMPLE_BY_NAME[name]
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return SAMPLE_BY_CONVERTER.get(converter, "1")

    return ROUTE_PARAMETER.sub(sample, route)


def _fill_regex(regex: str) -> str:
    """Turn a (simple, Django-style) URL regex into one matching string."""
    out, i = [], 0
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name_end = regex.index(">", i)
            name = regex[i + 4 : name_end]
            depth, j = 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            body = regex[name_end + 1 : j - 1]
            if name in SAMPLE_BY_NAME:
                out.append(SAMPLE_BY_NAME[name])
            elif "|" in body:
                out.append(body.split("|")[0].strip("()"))
            elif r"\d" in body or "[0-9]" in body:
                out.append("1")
            else:
                out.append("x")
            i = j
        elif regex[i] == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
        elif regex[i] in "?*+":
            i += 1
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _walk(patterns, prefix: str = "", namespace: str = "", template: str = ""):
    for pattern in patterns:
        if isinstance(pattern.pattern, RoutePattern):
            part, raw = _fill_route(str(pattern.pattern)), str(pattern.pattern)
        elif isinstance(pattern.pattern, RegexPattern):
            part = raw = _fill_regex(pattern.pattern.regex.pattern)
        else:  # LocalePrefixPattern and the like
            part = raw = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + part, inner, template + raw)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = pattern.lookup_str
            yield Route("/" + prefix + part, name, "/" + template + raw)


ADMIN_LOGIN = "/admin/login/"
ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda route: route.path)


def test_the_walk_finds_the_urls():
    paths = {route.path for route in ROUTES}
    assert reverse("portal:home") in paths
    assert reverse("accounts:team", args=["E06000001"]) in paths
    assert "/admin/" in paths
    names = {route.name for route in ROUTES}
    assert PUBLIC <= names, f"allow-listed names that no longer exist: {PUBLIC - names}"
    for route in ROUTES:
        resolve(route.path)  # every generated path really is a URL of the site


def _next_chain(location: str) -> list[str]:
    """The `next` targets in a redirect, unwrapped.

    /a/?next=/b/%3Fnext%3D/c/ gives ["/b/?next=/c/", "/c/"].
    """
    chain = []
    query = urlsplit(location).query
    while (targets := parse_qs(query).get("next")) and len(chain) < 5:
        chain.append(targets[0])
        query = urlsplit(targets[0]).query
    return chain


def _sign_in_redirect(client, path: str) -> tuple[bool, str]:
    """Whether an anonymous GET ends, through at most three redirects, at sign-in with `next`.

    The admin site sends people to /admin/login/ first, which then sends them to the
    service's own sign-in page, so a short chain of redirects within the site is allowed.
    """
    sign_in = reverse("accounts:sign-in")
    url, seen = path, []
    for _ in range(3):
        response = client.get(url)
        seen.append(f"{url} -> {response.status_code} {response.get('Location', '')}".strip())
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        location = urlsplit(response["Location"])
        if location.netloc:  # an absolute URL
            break
        if location.path == sign_in:
            return path in _next_chain(response["Location"]), "; ".join(seen)
        url = response["Location"]
    return False, "; ".join(seen)


# The API (api/) answers for itself, never with the sign-in page: 401 without a token, except
# its schema, its documentation and the open data.
API_PUBLIC = {"api:openapi-json", "api:openapi-view", "api:open_data", "api:api-root"}


def _is_api(route: Route) -> bool:
    return route.name.startswith("api:")


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if _is_api(r)], ids=str)
def test_the_api_needs_a_token_but_for_its_schema_and_the_open_data(client, route):
    response = client.get(route.path)

    if route.name in API_PUBLIC:
        assert response.status_code in (200, 404)
    else:
        assert response.status_code == 401, f"{route} answered {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name not in PUBLIC and not _is_api(r)], ids=str
)
def test_anonymous_visitor_is_sent_to_sign_in(client, route):
    if route.path == ADMIN_LOGIN:
        # The admin's own sign-in page is replaced by a redirect to the service's.
        response = client.get(route.path)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("accounts:sign-in")
        return
    sent_to_sign_in, answers = _sign_in_redirect(client, route.path)

    assert sent_to_sign_in, (
        f"{route} did not send an anonymous visitor to sign in (and back): {answers}. "
        "If it must be public, mark it @login_not_required and add it to PUBLIC."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC], ids=str)
def test_public_page_answers_anonymously(client, route):
    response = client.get(route.path)

    assert response.status_code < 500
    if route.name == "core:favicon":
        assert response["Location"].startswith("/static/")
        return
    if route.name in {"accounts:sign-in-code", "accounts:sign-in-recovery-code"}:
        # The code comes after a password: without one, start signing in.
        assert urlsplit(response["Location"]).path == reverse("accounts:sign-in")
        return
    assert response.status_code not in (301, 302, 303, 307, 308), (
        f"{route} redirected an anonymous visitor to {response['Location']}"
    )


# A shared council PC must not keep signed-in pages in its cache (issue 10).


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lead_a", "analyst", "staff"])
def test_every_signed_in_response_is_private_and_never_stored(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for route in ROUTES:
        response = client.get(route.path)
        cache_control = response.get("Cache-Control", "")

        assert "no-store" in cache_control and "private" in cache_control, (
            f"{route} answered {response.status_code} with Cache-Control {cache_control!r}"
        )


def test_the_response_that_signs_someone_in_is_not_stored(client, personas):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": personas.officer_a.email, "password": personas.password},
    )

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


# The admin site sent a signed-in person who is not staff round in a loop (issue 10).


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", ADMIN_LOGIN])
@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "analyst"])
def test_the_admin_site_is_a_404_for_people_who_are_not_staff(client, personas, persona, path):
    client.force_login(getattr(personas, persona))

    response = client.get(path, follow=True)

    assert response.status_code == 404
    assert len(response.redirect_chain) <= 1, response.redirect_chain


def test_staff_reach_the_admin_site(client, personas):
    client.force_login(personas.staff)

    assert client.get("/admin/").status_code == 200
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# Every view says which methods it takes (core.http); anything else is a 405 (issue 10).

# The project's own apps: every app whose package sits in the project's folder, so a new
# app's views are checked the day it is added.
PROJECT_APPS = {
    config.name for config in apps.get_app_configs() if Path(config.path).parent == PROJECT_ROOT
}


def test_the_project_apps_are_found():
    assert {"core", "accounts", "councils", "assessments", "benchmarks", "reports"} <= (
        PROJECT_APPS
    )


def test_every_view_of_the_portal_declares_its_methods():
    undeclared = set()
    for route in ROUTES:
        view = resolve(route.path).func
        module = getattr(view, "view_class", view).__module__
        if module.split(".")[0] in PROJECT_APPS or module.startswith("django.contrib.auth.views"):
            if not hasattr(view, "http_methods"):
                undeclared.add(f"{route} ({module})")

    assert not undeclared, "mark these views @reads, @form_view or @action: " + ", ".join(
        sorted(undeclared)
    )
