"""A council's sign-in settings page, and what the sign-in page does with them: who may open it,
its errors, the discovery check, and the authorisation request the portal sends."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import IdentityProvider

SETTINGS = reverse("accounts:sign-in-settings", args=["E06000001"])


class _Discovery(BaseHTTPRequestHandler):
    issuer = ""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path != "/.well-known/openid-configuration":
            self.send_error(404)
            return
        body = json.dumps(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/auth",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def issuer():
    """A real HTTP server on loopback that publishes an OpenID Connect discovery document."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    url = f"http://127.0.0.1:{server.server_port}"
    handler = type("Discovery", (_Discovery,), {"issuer": url})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


def form(**changes):
    data = {
        "kind": "other",
        "issuer": "",
        "tenant": "",
        "client_id": "portal-client",
        "client_secret": "the-secret",
        "domains": "hartlepool.example",
        "enabled": "yes",
        "version": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["officer_a", "executive_a", "officer_b", "analyst"])
def test_only_the_councils_lead_and_staff_open_it(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(SETTINGS).status_code == 404


@pytest.mark.parametrize("persona", ["lead_a", "staff"])
def test_the_page_shows_the_exact_redirect_url(client, personas, persona, settings):
    client.force_login(getattr(personas, persona))
    page = client.get(SETTINGS).content.decode()
    shown = f"{settings.PORTAL_BASE_URL}/sign-in/sso/callback/"
    assert f'id="redirect-uri" class="app-break-anywhere">{shown}<' in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": ""}, "Select your council&#x27;s sign-in service"),
        ({"kind": "entra"}, "Enter the directory (tenant) ID"),
        ({"kind": "entra", "tenant": "not a tenant!"}, "Enter the directory (tenant) ID, like"),
        ({"issuer": ""}, "Enter the issuer URL"),
        ({"issuer": "http://sign-in.example.gov.uk"}, "starts with https://"),
        ({"client_id": ""}, "Enter the client ID"),
        ({"domains": "not a domain"}, "Enter domains like hartlepool.gov.uk"),
        ({"enabled": "maybe"}, "Select whether people should sign in with it now"),
        (
            {"issuer": "http://127.0.0.1:9"},
            "We could not read the provider&#x27;s settings at "
            "http://127.0.0.1:9/.well-known/openid-configuration",
        ),
    ],
)
def test_mistakes_get_a_gov_uk_error_and_nothing_is_saved(client, personas, data, error):
    client.force_login(personas.lead_a)
    response = client.post(SETTINGS, form(**data))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and error in page
    assert not IdentityProvider.objects.exists()


def test_a_new_provider_needs_a_secret(client, personas, issuer):
    client.force_login(personas.lead_a)
    page = client.post(SETTINGS, form(issuer=issuer, client_secret="")).content.decode()
    assert "Enter the client secret" in page


def test_saving_checks_the_provider_then_the_sign_in_page_sends_people_to_it(
    client, personas, issuer, settings
):
    client.force_login(personas.lead_a)
    saved = client.post(SETTINGS, form(issuer=issuer, domains="Hartlepool.example\n"))
    assert saved.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.issuer == issuer and provider.updated_by == personas.lead_a
    client.post(reverse("accounts:sign-out"))

    response = client.post(
        reverse("accounts:sign-in"), {"username": "Olivia.Okafor@HARTLEPOOL.example"}
    )

    assert response.status_code == 302
    sent = urlsplit(response["Location"])
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{issuer}/auth"
    query = {key: values[0] for key, values in parse_qs(sent.query).items()}
    assert query["client_id"] == "portal-client"
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == f"{settings.PORTAL_BASE_URL}/sign-in/sso/callback/"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert query["login_hint"] == "Olivia.Okafor@HARTLEPOOL.example"


def test_other_addresses_and_a_provider_turned_off_get_the_password_form(client, personas, issuer):
    client.force_login(personas.lead_a)
    client.post(SETTINGS, form(issuer=issuer, enabled="no"))
    client.post(reverse("accounts:sign-out"))

    for address in ("someone@hartlepool.example", "someone@middlesbrough.example"):
        page = client.post(reverse("accounts:sign-in"), {"username": address})
        assert page.status_code == 200
        assert 'name="password"' in page.content.decode()


def test_a_stale_page_does_not_overwrite_a_newer_change(client, personas, issuer):
    client.force_login(personas.lead_a)
    client.post(SETTINGS, form(issuer=issuer))
    version = IdentityProvider.objects.get().version
    client.post(SETTINGS, form(issuer=issuer, client_id="second", version=str(version)))

    stale = client.post(SETTINGS, form(issuer=issuer, client_id="third", version=str(version)))

    assert "Someone else changed these settings" in stale.content.decode()
    assert IdentityProvider.objects.get().client_id == "second"


def test_disconnecting_asks_first(client, personas, issuer):
    client.force_login(personas.lead_a)
    client.post(SETTINGS, form(issuer=issuer))
    remove = reverse("accounts:sign-in-settings-remove", args=["E06000001"])

    assert "Are you sure" in client.get(remove).content.decode()
    client.post(remove)
    assert not IdentityProvider.objects.exists()


def _started(client, personas, issuer) -> dict[str, str]:
    """Connect the provider, start signing in, and return the authorisation request's query."""
    client.force_login(personas.lead_a)
    client.post(SETTINGS, form(issuer=issuer))
    client.post(reverse("accounts:sign-out"))
    response = client.post(reverse("accounts:sign-in"), {"username": personas.officer_a.email})
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def test_an_answer_with_a_state_this_browser_did_not_send_is_refused(client, personas, issuer):
    _started(client, personas, issuer)

    response = client.get(
        reverse("accounts:sso-callback"), {"code": "a-code", "state": "not-the-state"}
    )

    assert response.status_code == 400
    assert "Your sign-in did not finish" in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_an_answer_nobody_started_is_refused(client, db):
    response = client.get(reverse("accounts:sso-callback"), {"code": "a-code", "state": "x"})
    assert response.status_code == 400
    assert "Your sign-in did not finish" in response.content.decode()


def test_a_provider_that_refuses_gets_a_clear_page(client, personas, issuer):
    query = _started(client, personas, issuer)

    response = client.get(
        reverse("accounts:sso-callback"),
        {"error": "access_denied", "error_description": "User cancelled", "state": query["state"]},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your council&#x27;s sign-in service did not sign you in" in page
    assert "access_denied: User cancelled" in page
