"""No input makes the portal fail (issue 10).

A probe sent 1,454 malformed requests and found 500s: a 5,000-digit number in a form, a NUL
byte in a path, a query or an admin filter. The regression tests name each finding; the
property tests then post random and extreme values to every form each persona can reach, and
request every path with random and extreme values in its parameters and query, with every
method. Never a 5xx (the test client raises the view's exception); a method the view does not
take is a 405, unless the address names no page (404) or a signed-out visitor is first sent to
sign in (302); and a refused POST changes nothing in the database.

PostgreSQL refuses a NUL character in any text and SQLite stores one, so every test here runs
with the connection refusing one as PostgreSQL does: a run on SQLite finds what production
would fail on. CI runs this module on PostgreSQL too.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.core.exceptions import DisallowedRedirect
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, InvitationFactory, UserFactory
from accounts.tokens import make_invitation_token
from assessments import services as assessment_services
from assessments.models import AssessmentRound
from assessments.tests.factories import (
    AssessmentRoundFactory,
    dims,
    level,
    questions,
    submitted_assessment,
)
from benchmarks.models import Release
from benchmarks.tests.dashboard_data import build_sector
from core.http import allowed_methods
from plans import services as plans_services
from reports import services as reports_services
from reports.models import Report, ReportKind, ReportStatus
from tests.support import nul_refused_as_on_postgresql, post_urlencoded
from tests.test_access import ROUTE_PARAMETER, ROUTES, Route

PERSONAS = ["anonymous", "officer_a", "lead_a", "executive_a", "officer_b", "analyst", "staff"]
OTHER_METHODS = ["put", "patch", "delete", "trace"]
METHODS = ["get", "post", *OTHER_METHODS]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
# derandomize: the same examples in every run, so a failure is the same failure on any machine.
PER_FORM = hypothesis_settings(max_examples=10, derandomize=True, suppress_health_check=HEALTH)
PER_ADDRESS = hypothesis_settings(derandomize=True, suppress_health_check=HEALTH)
# Examples for each address of the portal's own, each admin list (which filters by its query)
# and each other admin address.
PROJECT_EXAMPLES, ADMIN_LIST_EXAMPLES, ADMIN_EXAMPLES = 8, 5, 2

EXTREMES = [
    "",
    " ",
    "0",
    "-1",
    "9" * 5000,
    "-" + "9" * 5000,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "1e999",
    "NaN",
    "\x00",
    "E06000001\x00",
    "x" * 100_000,
    "a" * 5000 + "@example.org",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "٣",
    "ß",
    "\U0001f642" * 50,
    "\u202e",
    # Values the portal's own forms take, so some examples get past the first check.
    "by_name",
    "approve",
    "return",
    "later",
    "3",
]
values = st.one_of(st.sampled_from(EXTREMES), st.text(max_size=40), st.integers().map(str))
field_values = st.one_of(values, st.lists(values, min_size=2, max_size=3))
NUMBER = re.compile(r"\d+")
TAMPERED_IDS = ["9" * 5000, "0", str(2**63), "00", "-1"]


@pytest.fixture(autouse=True)
def _nul_refused():
    with nul_refused_as_on_postgresql():
        yield


# What the personas' world holds: real ids, so the pages and their forms are really there. ----


@dataclass(frozen=True)
class World:
    values: dict[str, str]  # a real value for each parameter name
    assessments: tuple[str, ...]  # in progress, submitted, signed off
    overrides: dict[str, dict[str, str]]  # a route's own real values, by its URL name

    def samples(self, route: Route) -> list[dict[str, str]]:
        """Real values for the route's parameters; one set per assessment for its pages."""
        if route.name in self.overrides:
            return [{**self.values, **self.overrides[route.name]}]
        if route.name.startswith("assessments:"):
            return [{**self.values, "pk": pk} for pk in self.assessments]
        return [self.values]


@pytest.fixture
def world(personas, settings) -> World:
    """Council A with results in a sector of eight (peer groups, released benchmarks, open
    data of the closed round), a submitted assessment waiting for sign-off, one in progress
    with an officer's answer, invitations, a colleague, a failed report and a password reset
    link."""
    sector = build_sector(personas, settings)
    latest: AssessmentRound = sector["latest"]
    # Only a closed round can be published (its release is made by build_sector already).
    assessment_services.round_close(round=latest, by=personas.staff)
    reports_services.open_data_publish(
        round_id=latest.pk,
        by=personas.staff,
        release_id=Release.objects.get(round=latest, current=True).pk,
    )
    signed_off = personas.council_a.assessments.get(round=latest)
    lead = personas.lead_a

    def new_round(years: str) -> AssessmentRound:
        first, second = years.split("-")
        return AssessmentRoundFactory(
            framework=latest.framework, slug=years, name=f"{first} to {second}"
        )

    submitted = submitted_assessment(
        council=personas.council_a, round=new_round("2027-2028"), lead=lead
    )
    round_ = new_round("2028-2029")
    in_progress = assessment_services.assessment_start(
        council=personas.council_a, round=round_, by=lead
    )
    first = dims(in_progress)[0]
    assessment_services.answers_save(
        response=assessment_services.response_for(assessment=in_progress, user=personas.officer_a),
        dimension=first,
        answers={questions(first)[0].pk: level(3)},
    )
    # One to accept, one for the lead to resend and withdraw: either changes the other's link.
    invitation = InvitationFactory(
        council=personas.council_a, email="new.person@hartlepool.example"
    )
    pending = InvitationFactory(council=personas.council_a, email="later@hartlepool.example")
    colleague = CouncilMembershipFactory(
        user=UserFactory(email="second.officer@hartlepool.example", full_name="Sara Second"),
        council=personas.council_a,
        role=CouncilRole.OFFICER,
    )
    report = Report.objects.create(
        kind=ReportKind.COUNCIL_PDF,
        council=personas.council_a,
        round=latest,
        requested_by=lead,
        status=ReportStatus.FAILED,
        error="The chart could not be drawn.",
        expires_at=timezone.now() + timedelta(days=1),
    )
    # A plan from the signed-off round, with a target and an action the officer owns.
    target = plans_services.target_add(
        assessment=signed_off,
        by=lead,
        dimension=dims(signed_off)[0],
        question=None,
        values=plans_services.TargetInput(5, None, timezone.localdate() + timedelta(days=365)),
        first_action=plans_services.ActionInput(
            "Agree a data sharing protocol",
            personas.officer_a,
            "",
            timezone.localdate() + timedelta(days=30),
        ),
        today=timezone.localdate(),
    )
    in_plan = {"round_slug": latest.slug}
    target_pk = {**in_plan, "pk": str(target.pk)}
    action_pk = {**in_plan, "pk": str(target.actions.get().pk)}
    # Someone with no council, whose password reset link anyone may open.
    forgetful = UserFactory(email="forgetful@portal.example", full_name="Fred Forgetful")
    report_pk = {"pk": str(report.pk)}
    return World(
        values={
            "gss_code": personas.council_a.gss_code,
            "code": first.code,
            "slug": personas.network.slug,
            "round_slug": round_.slug,
            "token": make_invitation_token(invitation.pk, invitation.nonce),
            "uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        },
        assessments=(str(in_progress.pk), str(submitted.pk), str(signed_off.pk)),
        overrides={
            "accounts:member": {"pk": str(colleague.pk)},
            "accounts:invitation-resend": {"pk": str(pending.pk)},
            "accounts:invitation-withdraw": {"pk": str(pending.pk)},
            "accounts:password-reset-confirm": {
                "token": default_token_generator.make_token(forgetful)
            },
            "reports:detail": report_pk,
            "reports:status": report_pk,
            "reports:retry": report_pk,
            "reports:download": report_pk,
            "reports:open-data-publish": {"slug": latest.slug},
            "open-data:csv": {"slug": latest.slug},
            "open-data:json": {"slug": latest.slug},
            "open-data:edition-csv": {"slug": latest.slug, "number": "1"},
            "open-data:edition-json": {"slug": latest.slug, "number": "1"},
            **{
                f"plans:{name}": in_plan
                for name in (
                    "plan",
                    "target-add",
                    "approve",
                    "history",
                    "export-csv",
                    "export-xlsx",
                )
            },
            **{
                f"plans:{name}": target_pk
                for name in ("target-change", "target-remove", "action-add")
            },
            **{
                f"plans:{name}": action_pk
                for name in ("action-change", "action-remove", "action-progress")
            },
        },
    )


@pytest.fixture
def clients(personas) -> dict[str, Client]:
    found = {"anonymous": Client()}
    for name in PERSONAS[1:]:
        found[name] = Client()
        found[name].force_login(getattr(personas, name))
    return found


def fill(route: Route, sample: dict[str, str]) -> str:
    return ROUTE_PARAMETER.sub(lambda match: sample.get(match["name"], "1"), route.path_template)


def real_urls(route: Route, world: World) -> list[str]:
    return [fill(route, sample) for sample in world.samples(route)]


PROJECT_ROUTES = [route for route in ROUTES if not route.path.startswith("/admin/")]
ADMIN_ROUTES = [route for route in ROUTES if route.path.startswith("/admin/")]
# Signing out would leave the persona's client signed out for the examples after it.
SIGNS_OUT = {"accounts:sign-out", "admin:logout"}
PARAMETER_NAMES = sorted(
    {match["name"] for route in ROUTES for match in ROUTE_PARAMETER.finditer(route.path_template)}
)


def _excluded(model: type) -> bool:
    # Sessions change with every request; sign-in counters count refused sign-ins, and
    # authenticator apps' throttles and the sign-in history record refused codes, which is what
    # they are for.
    return (
        model is Session
        or model.__name__.startswith("SignIn")
        or model.__name__ in {"TOTPDevice", "StaticDevice", "SecurityEvent"}
    )


# Every table, the many-to-many ones Django makes included, but sessions and sign-in counters.
FINGERPRINTED = [
    model for model in apps.get_models(include_auto_created=True) if not _excluded(model)
]


def fingerprint() -> str:
    """A hash of every row of every table but sessions and sign-in counters (plain SQL: this
    runs twice for every POST)."""
    digest = hashlib.sha256()
    quote_name = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in FINGERPRINTED:
            table, pk = quote_name(model._meta.db_table), quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            # psycopg2 gives binary columns as memoryview, whose repr is an address.
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            digest.update(f"{table}{rows!r}".encode())
    return digest.hexdigest()


def refused(response) -> bool:
    """A POST that did not end in a redirect: the form was refused (or never taken)."""
    return response.status_code not in (301, 302, 303)


def answered_before_the_view(
    response, persona: str, method: str, nul: bool
) -> tuple[int, str] | None:
    """The status (and Allow or Location) the portal must give before any view runs, or None
    when it is the view's to decide. In order: a NUL anywhere in the address is a bad request;
    an address that names no page is a 404; a signed-out visitor is sent to sign in whatever
    the method; a method the view does not take is a 405 naming those it does."""
    if nul:
        return 400, ""
    try:
        match = resolve(response.wsgi_request.path_info)
    except Resolver404:
        return 404, ""
    if persona == "anonymous" and getattr(match.func, "login_required", True):
        # The admin site's views send people to its own sign-in page (which sends them on).
        sign_in = resolve_url(getattr(match.func, "login_url", None) or settings.LOGIN_URL)
        try:
            redirect_to_login(response.wsgi_request.get_full_path(), sign_in)
        except DisallowedRedirect:
            # An address so long that sending it back as ?next= would be refused by Django.
            return 400, ""
        return 302, sign_in
    allowed = allowed_methods(match.func)
    if method.upper() not in allowed:
        return 405, ", ".join(sorted(allowed))
    return None


def assert_answered(response, expected: tuple[int, str], what: str) -> None:
    status, detail = expected
    assert response.status_code == status, f"{what}: {response.status_code}, not {status}"
    if status == 405:
        assert response["Allow"] == detail, what
    if status == 302:
        assert response["Location"].startswith(detail + "?"), what


# Regression tests: each finding of the probe ---------------------------------------------------


NUL_ADDRESSES = [
    "/councils/%00/",
    "/councils/E06000001%00/",
    "/benchmarks/councils/%00/",
    "/reports/councils/%00/",
    "/assessments/1/agree/%00/",
    "/password-reset/%00/%00/",
    "/invitations/%00/",
    "/benchmarks/councils/E06000001/?group=%00",
    "/benchmarks/networks/north-east-digital-partnership/?round=%00",
    "/councils/?page=%00&q=%00",
    "/councils/?%00=1",
    "/%00",
]


@pytest.mark.parametrize("persona", ["lead_a", "anonymous"])
@pytest.mark.parametrize("path", NUL_ADDRESSES)
def test_a_nul_byte_in_an_address_is_a_bad_request(clients, persona, path):
    response = clients[persona].get(path)

    assert response.status_code == 400
    assert "Sorry, that request could not be understood" in response.text
    # Answered through every middleware: the page carries the portal's headers.
    assert "Content-Security-Policy" in response.headers
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("q=%00", 400),
        ("is_staff__exact=%00", 400),
        ("o=%00", 400),
        ("%00=1", 400),
        ("p=99999999999999999999", 200),
        ("p=" + "9" * 5000, 200),
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_a_bad_request(clients, query, status):
    response = clients["staff"].get(f"/admin/accounts/user/?{query}")

    assert response.status_code == status


@pytest.mark.parametrize(
    "cookie", ['"abcdefgh\\000"', '"' + "a" * 31 + '\\000"', "a" * 41, "ABCDEFGHIJ"]
)
def test_a_session_cookie_no_session_could_have_is_no_session(personas, cookie):
    client = Client(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={cookie}")

    assert client.get(reverse("core:accessibility")).status_code == 200
    response = client.get(reverse("councils:directory"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_real_session_still_signs_in(client, personas):
    client.force_login(personas.officer_a)

    assert client.get(reverse("councils:directory")).status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("persona", ["anonymous", "officer_b", "staff"])
def test_other_methods_are_answered_before_any_view_on_every_page(clients, world, persona):
    """officer_b, an outsider to council A's pages, gets the 405 before access is checked;
    staff reach the admin site's pages."""
    for route in ROUTES:
        for url in real_urls(route, world):
            for method in OTHER_METHODS:
                response = getattr(clients[persona], method)(url)
                expected = answered_before_the_view(response, persona, method, nul=False)
                assert expected is not None and expected[0] in (302, 405), route
                assert_answered(response, expected, f"{method.upper()} {url} as {persona}")


def test_pages_that_only_read_refuse_a_post(clients, world):
    response = clients["lead_a"].post(reverse("accounts:team", args=[world.values["gss_code"]]))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "Sorry, this page cannot do that" in response.text


# Every form each persona is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    persona: str
    url: str
    fields: tuple[str, ...]


NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
FORM = re.compile(r'<form\b([^>]*method="post"[^>]*)>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'\baction="([^"]*)"')


def harvest_forms(clients: dict[str, Client], world: World) -> list[Form]:
    """Every POST form each persona is shown, where it posts to and its fields' names."""
    forms = set()
    not_fuzzed = {reverse(name) for name in SIGNS_OUT}
    for route in PROJECT_ROUTES:
        for url in real_urls(route, world):
            for persona, client in clients.items():
                # Followed: a password reset link redirects to the page with its form.
                response = client.get(url, follow=True)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                shown_at = response.wsgi_request.path
                for attributes, body in FORM.findall(response.text):
                    action = ACTION.search(attributes)
                    target = unescape(action.group(1)) if action and action.group(1) else shown_at
                    names = {name for name in NAME.findall(body) if name != "csrfmiddlewaretoken"}
                    if target not in not_fuzzed:
                        forms.add(Form(persona, target, tuple(sorted(names))))
    return sorted(forms, key=lambda form: (form.url, form.persona, form.fields))


@pytest.fixture
def forms(clients, world) -> list[Form]:
    return harvest_forms(clients, world)


def test_the_harvest_finds_the_forms_of_the_portal(forms, world):
    found = {(form.persona, form.url) for form in forms}
    in_progress, submitted, signed_off = world.assessments
    gss, code = world.values["gss_code"], world.values["code"]
    latest = world.overrides["plans:plan"]["round_slug"]
    action = world.overrides["plans:action-change"]["pk"]

    assert {
        ("anonymous", reverse("accounts:sign-in")),
        ("anonymous", reverse("accounts:password-reset")),
        (
            "anonymous",
            reverse(
                "accounts:password-reset-confirm", args=[world.values["uidb64"], "set-password"]
            ),
        ),
        ("anonymous", reverse("accounts:accept-invitation", args=[world.values["token"]])),
        ("officer_a", reverse("assessments:dimension", args=[in_progress, code])),
        ("officer_a", reverse("accounts:password-change")),
        ("lead_a", reverse("assessments:agree-dimension", args=[in_progress, code])),
        ("lead_a", reverse("assessments:assign", args=[in_progress])),
        ("lead_a", reverse("councils:sharing", args=[gss])),
        ("lead_a", reverse("accounts:invite", args=[gss])),
        (
            "lead_a",
            reverse("accounts:member", args=[gss, world.overrides["accounts:member"]["pk"]]),
        ),
        ("lead_a", reverse("reports:council", args=[gss])),
        ("lead_a", reverse("reports:retry", args=[world.overrides["reports:retry"]["pk"]])),
        ("executive_a", reverse("assessments:sign-off", args=[submitted])),
        ("analyst", reverse("reports:network", args=[world.values["slug"]])),
        ("staff", reverse("assessments:reopen", args=[signed_off])),
        ("staff", reverse("reports:uk")),
        ("lead_a", reverse("plans:action-change", args=[gss, latest, action])),
        ("officer_a", reverse("plans:action-progress", args=[gss, latest, action])),
        ("executive_a", reverse("plans:approve", args=[gss, latest])),
        ("lead_a", reverse("plans:sharing-change", args=[gss, code])),
    } <= found


STRAY_NAMES = st.one_of(
    st.sampled_from(["action", "next", "page", "\x00", "9" * 5000]), st.text(max_size=20)
)


def posts_for(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """Any of the form's fields with any values, perhaps fields named after another object
    (q12-answer as q<5,000 digits>-answer), and perhaps fields the form does not have."""
    fields = st.fixed_dictionaries({}, optional=dict.fromkeys(form.fields, field_values))
    stray = st.dictionaries(STRAY_NAMES, field_values, max_size=2)
    numbered = [name for name in form.fields if NUMBER.search(name)]
    renamed = st.just({})
    if numbered:
        renamed_key = st.tuples(st.sampled_from(numbered), st.sampled_from(TAMPERED_IDS)).map(
            lambda pair: NUMBER.sub(pair[1], pair[0], count=1)
        )
        renamed = st.dictionaries(renamed_key, field_values, max_size=2)
    return st.tuples(stray, fields, renamed).map(
        lambda parts: {k: v for p in parts for k, v in p.items()}
    )


def fuzz(client: Client, form: Form) -> None:
    @PER_FORM
    @given(posted=posts_for(form))
    def post(posted: dict[str, Any]) -> None:
        before = fingerprint()

        response = post_urlencoded(client, form.url, posted)

        assert response.status_code < 500, (form, posted)
        if refused(response):
            assert fingerprint() == before, f"a refused POST to {form.url} changed data"

    post()


@pytest.mark.slow
def test_no_form_input_makes_the_portal_fail_or_changes_data_when_refused(clients, forms):
    for form in forms:
        fuzz(clients[form.persona], form)


# Every address, with any values in its parameters and query, and every method ----------------

# Query parameters the portal's pages and the admin site's read, besides those a page's own
# links and search forms name (filters, pagination, a peer group or round to show).
PORTAL_QUERY_KEYS = {"group", "round", "page", "q", "next"}
ADMIN_QUERY_KEYS = {"q", "o", "p", "e", "_changelist_filters"}
NUL_VALUES = ["\x00", "E06000001\x00", "north-east\x00", "1\x00", "\x00" * 3]
# A NUL is refused whatever else is in the address, so it goes in only some examples, alone:
# in one path parameter (the rest real), in one query parameter's value or in its name; the
# other examples carry the other extremes.
WHERE_NUL = ["nowhere", "path", "query", "name"]
LINK_QUERY = re.compile(r'href="[^"?]*\?([^"]*)"')
GET_FORM = re.compile(r'<form\b(?![^>]*method="post")[^>]*>(.*?)</form>', re.S | re.I)


@dataclass(frozen=True)
class Address:
    persona: str
    parameters: dict[str, str]
    query: dict[str, str | list[str]]
    other_method: str

    def url(self, route: Route, real: dict[str, str]) -> str:
        sent = {name: quote(value, safe="") for name, value in self.parameters.items()}
        url = fill(route, {**real, **sent})
        query = urlencode(self.query, doseq=True, quote_via=quote, safe="")
        return f"{url}?{query}" if query else url

    def has_nul(self) -> bool:
        texts = [*self.parameters.values(), *self.query.keys()]
        for value in self.query.values():
            texts.extend([value] if isinstance(value, str) else value)
        return any("\x00" in text for text in texts)


def without_nul(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy.filter(lambda value: "\x00" not in str(value))


@st.composite
def addresses(
    draw: st.DrawFn, parameters: list[str], personas: list[str], keys: list[str]
) -> Address:
    persona = draw(st.sampled_from(personas))
    sent = draw(st.fixed_dictionaries({}, optional=dict.fromkeys(parameters, without_nul(values))))
    query = draw(st.fixed_dictionaries({}, optional=dict.fromkeys(keys, without_nul(field_values))))
    where = draw(st.sampled_from(WHERE_NUL if parameters else WHERE_NUL[:1] + WHERE_NUL[2:]))
    if where == "path":
        sent = {draw(st.sampled_from(parameters)): draw(st.sampled_from(NUL_VALUES))}
    elif where == "query":
        query = {draw(st.sampled_from(keys)): draw(st.sampled_from(NUL_VALUES))}
    elif where == "name":
        query = {draw(st.sampled_from(NUL_VALUES)): "1"}
    return Address(persona, sent, query, draw(st.sampled_from(OTHER_METHODS)))


def query_keys(html: str) -> set[str]:
    """The query parameters a page's links and search forms use."""
    keys: set[str] = set()
    for query in LINK_QUERY.findall(html):
        keys.update(parse_qs(unescape(query), keep_blank_values=True))
    for body in GET_FORM.findall(html):
        keys.update(NAME.findall(body))
    return keys


def reached_by(clients: dict[str, Client], route: Route, url: str) -> tuple[list[str], list[str]]:
    """The personas whose requests the page's view answers (not a 404, not sent to sign in),
    or anonymous when no one's are; and the query parameters the page reads. Only staff reach
    the admin site."""
    admin = route in ADMIN_ROUTES
    reached, keys = [], set(ADMIN_QUERY_KEYS if admin else PORTAL_QUERY_KEYS)
    for persona in ["staff"] if admin else PERSONAS:
        response = clients[persona].get(url)
        if response.status_code not in (302, 404):
            reached.append(persona)
            if "text/html" in response.get("Content-Type", ""):
                keys |= query_keys(response.content.decode())
    return reached or ["anonymous"], sorted(keys)


def fuzz_address(clients: dict[str, Client], route: Route, real: dict[str, str], examples: int):
    parameters = [match["name"] for match in ROUTE_PARAMETER.finditer(route.path_template)]
    personas, keys = reached_by(clients, route, fill(route, real))

    @hypothesis_settings(PER_ADDRESS, max_examples=examples)
    @given(address=addresses(parameters, personas, keys))
    def request(address: Address) -> None:
        url, client = address.url(route, real), clients[address.persona]
        what = f"{url[:300]} as {address.persona}"
        for method in ["get", "post", address.other_method]:
            before = fingerprint() if method == "post" else None

            response = getattr(client, method)(url)

            assert response.status_code < 500, f"{method.upper()} {what}"
            expected = answered_before_the_view(
                response, address.persona, method, address.has_nul()
            )
            if method in OTHER_METHODS:
                assert expected is not None, f"a view answered {method.upper()} {what}"
            if expected is not None:
                assert_answered(response, expected, f"{method.upper()} {what}")
            if before is not None and refused(response):
                assert fingerprint() == before, f"a refused POST to {what} changed data"

    request()


@pytest.mark.slow
def test_no_value_in_an_address_makes_the_portal_fail(clients, world):
    for route in ROUTES:
        if route.name not in SIGNS_OUT:
            examples = PROJECT_EXAMPLES
            if route in ADMIN_ROUTES:
                lists = route.name.endswith("_changelist")
                examples = ADMIN_LIST_EXAMPLES if lists else ADMIN_EXAMPLES
            fuzz_address(clients, route, world.samples(route)[0], examples)
