"""Single sign-on end to end, in Chromium, through a real OpenID Connect provider on loopback
(tests/oidc_provider.py): a lead connects it on the sign-in settings page, an officer signs in
through it, and every refusal gets its own GOV.UK page: a token for another service, an expired
token, an address nobody invited, an address outside the council's domains, a provider that is
down. Someone invited accepts by signing in. axe finds nothing on any page."""

import socket

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import services
from accounts.models import CouncilMembership, CouncilRole, IdentityProvider, SecurityEventKind
from accounts.tests.factories import InvitationFactory
from tests.browser.support import assert_accessible, sign_in_url, signed_in_page
from tests.oidc_provider import provider_missing, run_provider
from tests.support import require

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SECRET = "test-client-secret"
ACCOUNTS = [
    {"login": "olivia", "email": "officer.a@hartlepool.example", "name": "Olivia Okafor"},
    {"login": "stranger", "email": "stranger@hartlepool.example", "name": "Sid Stranger"},
    {"login": "nadia", "email": "new.officer@hartlepool.example", "name": "Nadia Newman"},
    {"login": "outsider", "email": "olivia@elsewhere.example", "name": "Olivia Elsewhere"},
    {
        "login": "unconfirmed",
        "email": "unconfirmed@hartlepool.example",
        "email_verified": False,
        "name": "Una Confirmed",
    },
]


@pytest.fixture
def issuer(live_server, settings):
    reason = provider_missing()
    require(reason is None, f"the OpenID Connect test provider cannot run: {reason}")
    settings.PORTAL_BASE_URL = live_server.url
    callback = live_server.url + reverse("accounts:sso-callback")
    clients = [
        {"client_id": client, "client_secret": SECRET, "redirect_uris": [callback], "behaviour": b}
        for client, b in (
            ("portal", "normal"),
            ("portal-wrong-audience", "wrong-audience"),
            ("portal-expired", "expired"),
        )
    ]
    with run_provider(clients, ACCOUNTS) as url:
        yield url


def connect(personas, issuer: str, client_id: str = "portal") -> IdentityProvider:
    return services.identity_provider_save(
        council=personas.council_a,
        by=personas.lead_a,
        kind="other",
        issuer=issuer,
        client_id=client_id,
        client_secret=SECRET,
        domains=["hartlepool.example"],
        enabled=True,
        version=None,
    )


def sign_in_at_provider(page, live_server, email: str, login: str) -> None:
    page.goto(sign_in_url(live_server))
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Sign in to the test provider")
    page.get_by_label("Username").fill(login)
    page.get_by_role("button", name="Sign in").click()


def test_a_lead_connects_the_provider_and_an_officer_signs_in_through_it(
    page, live_server, personas, issuer
):
    signed_in_page(page, live_server, personas.lead_a)
    page.goto(live_server.url + reverse("accounts:team", args=["E06000001"]))
    page.get_by_role("link", name="Sign-in settings").click()
    expect(page.locator("#redirect-uri")).to_have_text(
        live_server.url + reverse("accounts:sso-callback")
    )
    assert_accessible(page)
    page.get_by_label("Another OpenID Connect provider").check()
    page.get_by_label("Issuer URL").fill(issuer)
    page.get_by_label("Client ID").fill("portal")
    page.get_by_label("Client secret").fill(SECRET)
    page.get_by_label("Email domains it signs in").fill("hartlepool.example")
    page.get_by_label("Yes, send people with these addresses to it").check()
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "People with these addresses now sign in with it"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").first.click()

    sign_in_at_provider(page, live_server, personas.officer_a.email, "olivia")

    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.locator("#security + .govuk-summary-list")).to_contain_text(
        "Another OpenID Connect provider at Hartlepool"
    )
    page.goto(live_server.url + reverse("accounts:history"))
    expect(page.locator("table")).to_contain_text("Signed in with your council's account")
    assert_accessible(page)
    assert personas.officer_a.security_events.filter(kind=SecurityEventKind.SIGNED_IN_SSO).exists()


@pytest.mark.parametrize(
    ("client_id", "email", "login", "heading", "detail"),
    [
        (
            "portal-wrong-audience",
            "officer.a@hartlepool.example",
            "olivia",
            "We could not check who signed you in",
            "The token was issued for a different service (its audience is wrong).",
        ),
        (
            "portal-expired",
            "officer.a@hartlepool.example",
            "olivia",
            "We could not check who signed you in",
            "The token had expired.",
        ),
        (
            "portal",
            "stranger@hartlepool.example",
            "stranger",
            "You have not been invited to the portal",
            "",
        ),
        (
            "portal",
            "officer.a@hartlepool.example",
            "outsider",
            "Your council's sign-in service cannot sign in this address",
            "",
        ),
        (
            "portal",
            "unconfirmed@hartlepool.example",
            "unconfirmed",
            "Your email address has not been confirmed",
            "",
        ),
    ],
    ids=["wrong audience", "expired token", "not invited", "outside the domains", "unconfirmed"],
)
def test_a_refused_sign_in_says_why_and_signs_nobody_in(
    page, live_server, personas, issuer, client_id, email, login, heading, detail
):
    connect(personas, issuer, client_id)

    sign_in_at_provider(page, live_server, email, login)

    expect(page.locator("h1")).to_have_text(heading)
    if detail:
        page.get_by_text("Details for your IT service desk").click()
        expect(page.locator(".govuk-details__text")).to_have_text(detail)
    expect(page.get_by_role("link", name="sign in with your password")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("portal:home"))
    expect(page).to_have_url(
        live_server.url + reverse("accounts:sign-in") + "?next=" + reverse("portal:home")
    )


def test_someone_invited_accepts_by_signing_in_with_their_work_account(
    page, live_server, personas, issuer
):
    connect(personas, issuer)
    InvitationFactory(
        council=personas.council_a,
        email="new.officer@hartlepool.example",
        role=CouncilRole.OFFICER,
        invited_by=personas.lead_a,
    )

    sign_in_at_provider(page, live_server, "new.officer@hartlepool.example", "nadia")

    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    membership = CouncilMembership.objects.get(user__email="new.officer@hartlepool.example")
    assert membership.council == personas.council_a and membership.role == CouncilRole.OFFICER
    assert membership.user.full_name == "Nadia Newman"


def test_a_provider_that_is_down_gets_a_clear_page_and_the_password_stays(
    page, live_server, personas
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    provider = IdentityProvider.objects.create(
        council=personas.council_a,
        kind="other",
        issuer=f"http://127.0.0.1:{closed}",
        client_id="portal",
        client_secret_encrypted="",
    )
    provider.domains.create(domain="hartlepool.example")

    page.goto(sign_in_url(live_server))
    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Your council's sign-in service is not answering")
    assert_accessible(page)
    page.get_by_role("link", name="sign in with your password").click()
    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_label("Password", exact=True).fill(personas.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + reverse("portal:home"))
