"""No input makes the portal fail (issue 10).

A probe sent 1,454 malformed requests and found 500s: a 5,000-digit number in a form, an
overlong email address, a NUL byte in a path or an admin filter. The regression tests name
each; the property tests then post random and extreme values to every form each persona can
reach, and request every path with random and extreme values in its parameters, with every
method. Never a 5xx (the test client raises the view's exception), and a rejected POST
changes nothing in the database. On PostgreSQL in CI.
"""

import hashlib
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import CouncilRole, SignInCounter
from accounts.tests.factories import CouncilMembershipFactory, InvitationFactory, UserFactory
from accounts.tokens import make_invitation_token
from assessments import services as assessment_services
from assessments.tests.factories import AssessmentRoundFactory
from tests.support import post_urlencoded
from tests.test_access import ROUTE_PARAMETER, ROUTES

PERSONAS = ["anonymous", "officer_a", "lead_a", "executive_a", "officer_b", "analyst", "staff"]
OTHER_METHODS = ["put", "patch", "delete", "trace"]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
PER_FORM = hypothesis_settings(max_examples=15, derandomize=True, suppress_health_check=HEALTH)
SETTINGS = hypothesis_settings(
    max_examples=150,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EXTREMES = [
    "",
    " ",
    "0",
    "-1",
    "9" * 5000,
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
    "by_name",
    "approve",
    "3",
]
values = st.one_of(
    st.sampled_from(EXTREMES),
    st.text(max_size=40),
    st.integers().map(str),
)
field_values = st.one_of(values, st.lists(values, min_size=2, max_size=3))
NUMBER = re.compile(r"\d+")
TAMPERED_IDS = ["9" * 5000, "0", str(2**63), "00"]


@dataclass(frozen=True)
class Form:
    persona: str
    url: str
    fields: tuple[str, ...]


# What a persona's world holds: the ids that make the URLs real.


@pytest.fixture
def world(personas):
    round_ = AssessmentRoundFactory()
    assessment = assessment_services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    invitation = InvitationFactory(
        council=personas.council_a, email="new.person@hartlepool.example"
    )
    CouncilMembershipFactory(
        user=UserFactory(email="second.officer@hartlepool.example", full_name="Sara Second"),
        council=personas.council_a,
        role=CouncilRole.OFFICER,
    )
    return {
        "gss_code": personas.council_a.gss_code,
        "pk": str(assessment.pk),
        "code": "DIM1",
        "slug": personas.network.slug,
        "round_slug": round_.slug,
        "token": make_invitation_token(invitation.pk, invitation.nonce),
    }


@pytest.fixture
def clients(personas):
    found = {"anonymous": Client()}
    for name in PERSONAS[1:]:
        found[name] = Client()
        found[name].force_login(getattr(personas, name))
    return found


def fill(route: str, sample: dict[str, str]) -> str:
    return ROUTE_PARAMETER.sub(lambda match: sample.get(match["name"], "1"), route)


PROJECT_ROUTES = [route for route in ROUTES if not route.path.startswith("/admin/")]


def fingerprint() -> str:
    """Every row of every table the portal writes, but sessions and sign-in counters (a
    rejected sign-in is counted: that is its purpose)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model in (Session, SignInCounter):
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
FORM = re.compile(r'<form\b([^>]*method="post"[^>]*)>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'\baction="([^"]*)"')
# Signing out would leave the persona's client signed out for the examples after it.
NOT_FUZZED = {reverse("accounts:sign-out")}


def harvest_forms(clients, world) -> list[Form]:
    """Every POST form each persona is shown that has fields, where it posts to."""
    forms = set()
    for route in PROJECT_ROUTES:
        url = fill(route.path_template, world)
        for persona, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for attributes, body in FORM.findall(response.content.decode()):
                action = ACTION.search(attributes)
                target = unescape(action.group(1)) if action and action.group(1) else url
                names = {name for name in NAME.findall(body) if name != "csrfmiddlewaretoken"}
                if names and target not in NOT_FUZZED:
                    forms.add(Form(persona, target, tuple(sorted(names))))
    return sorted(forms, key=lambda form: (form.url, form.persona, form.fields))


# Regression tests: each finding of the probe ---------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/councils/%00/",
        "/councils/E06000001%00/",
        "/benchmarks/councils/%00/",
        "/reports/councils/%00/",
        "/assessments/1/agree/%00/",
        "/benchmarks/councils/E06000001/?group=%00",
        "/benchmarks/networks/north-east-digital/?round=%00",
        "/councils/?page=%00&q=%00",
        "/%00",
    ],
)
def test_a_nul_byte_in_an_address_is_a_404(client, personas, path):
    client.force_login(personas.lead_a)

    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["q=%00", "council__gss_code__exact=%00", "o=%00", "p=99999999999999999999", "%00=1"],
)
def test_a_nul_byte_in_an_admin_filter_is_not_a_500(client, personas, query):
    client.force_login(personas.staff)

    response = client.get(f"/admin/accounts/user/?{query}")

    assert response.status_code < 500


@pytest.mark.slow
def test_other_methods_are_a_405_for_every_page_and_every_signed_in_persona(clients, world):
    for route in ROUTES:
        url = fill(route.path_template, world)
        for persona, client in clients.items():
            if persona == "anonymous":
                continue
            for method in OTHER_METHODS:
                response = getattr(client, method)(url)
                assert response.status_code == 405, f"{method.upper()} {url} as {persona}"
                assert (
                    "PUT" not in response["Allow"]
                    and "GET" in response["Allow"]
                    or (response["Allow"] == "POST")
                )


def test_signed_out_people_get_a_405_from_public_pages_and_sign_in_from_the_rest(client, world):
    for route in ROUTES:
        url = fill(route.path_template, world)
        response = client.put(url)
        assert response.status_code in (302, 405), f"PUT {url}: {response.status_code}"


def test_pages_that_only_read_refuse_a_post(clients, world):
    response = clients["lead_a"].post(reverse("accounts:team", args=[world["gss_code"]]))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# Property tests ------------------------------------------------------------------------------


def test_the_harvest_finds_the_forms_of_the_portal(clients, world):
    forms = harvest_forms(clients, world)
    urls = {form.url for form in forms}

    assert reverse("accounts:sign-in") in urls
    assert reverse("councils:sharing", args=[world["gss_code"]]) in urls
    assert reverse("assessments:agree-dimension", args=[world["pk"], "DIM1"]) in urls
    assert reverse("assessments:dimension", args=[world["pk"], "DIM1"]) in urls
    assert len(forms) >= 15
    assert all(form.fields for form in forms)


def posts_for(form: Form) -> st.SearchStrategy[dict[str, object]]:
    """Any of the form's fields with any values, and perhaps fields named after another
    object (q12-answer as q<5,000 digits>-answer)."""
    fields = st.fixed_dictionaries({}, optional=dict.fromkeys(form.fields, field_values))
    numbered = [name for name in form.fields if NUMBER.search(name)]
    if not numbered:
        return fields
    renamed_key = st.tuples(st.sampled_from(numbered), st.sampled_from(TAMPERED_IDS)).map(
        lambda pair: NUMBER.sub(pair[1], pair[0], count=1)
    )
    renamed = st.dictionaries(renamed_key, field_values, max_size=2)
    return st.tuples(fields, renamed).map(lambda both: {**both[0], **both[1]})


def fuzz(client: Client, form: Form) -> None:
    @PER_FORM
    @given(posted=posts_for(form))
    def post(posted):
        before = fingerprint()

        response = post_urlencoded(client, form.url, posted)

        assert response.status_code < 500, (form, posted)
        if response.status_code not in (301, 302, 303):
            assert fingerprint() == before, f"a refused POST to {form.url} changed data"

    post()


@pytest.mark.slow
def test_no_form_input_makes_the_portal_fail_or_changes_data_when_refused(clients, world):
    for form in harvest_forms(clients, world):
        fuzz(clients[form.persona], form)


@pytest.mark.slow
def test_no_value_in_an_address_makes_the_portal_fail(clients, world):
    @SETTINGS
    @given(
        route=st.sampled_from(ROUTES),
        persona=st.sampled_from(PERSONAS),
        method=st.sampled_from(["get", "post", *OTHER_METHODS]),
        parameters=st.dictionaries(
            st.sampled_from(["gss_code", "pk", "code", "slug", "round_slug", "token"]),
            values,
        ),
        query=st.dictionaries(st.sampled_from(["group", "round", "page", "q", "next"]), values),
    )
    def request(route, persona, method, parameters, query):
        sample = {**world, **{name: quote(value, safe="") for name, value in parameters.items()}}
        url = fill(route.path_template, sample)
        if query:
            url += "?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in query.items())
        before = fingerprint() if method == "post" else None

        response = getattr(clients[persona], method)(url)

        assert response.status_code < 500, url
        if before is not None and response.status_code not in (301, 302, 303):
            assert fingerprint() == before, f"a refused POST to {url} changed data"

    request()
