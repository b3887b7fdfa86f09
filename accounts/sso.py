"""Single sign-on with a council's own OpenID Connect provider.

Authlib (a maintained OAuth and OpenID Connect library) does the protocol: discovery, the
authorisation request with state, nonce and PKCE (S256), the code exchange, and the ID token's
checks (signature against the provider's published keys, issuer, audience, expiry, nonce).
This module says which provider an address goes to, builds Authlib's client for it, and turns
the checked claims into an identity, refusing what the provider may not vouch for. Who that
identity is in the portal is `services.sso_sign_in`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from core.encryption import decrypt

from .models import IdentityProvider, IdentityProviderDomain, IdentityProviderKind

ENTRA_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
GOOGLE_ISSUER = "https://accounts.google.com"
SCOPE = "openid email profile"


class SsoRefused(Exception):
    """Sign-in through the provider is refused; `reason` picks the message the person sees."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Asserted:
    """Who the provider says signed in, after its token passed every check."""

    subject: str
    email: str
    name: str


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider that vouches for this address's domain, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    match = (
        IdentityProviderDomain.objects.select_related("provider__council")
        .filter(domain=domain, provider__enabled=True)
        .first()
    )
    return match.provider if match else None


def issuer_for(kind: str, tenant: str = "", issuer: str = "") -> str:
    if kind == IdentityProviderKind.ENTRA:
        return ENTRA_ISSUER.format(tenant=tenant.strip())
    if kind == IdentityProviderKind.GOOGLE:
        return GOOGLE_ISSUER
    return issuer.strip().rstrip("/")


def client_secret(provider: IdentityProvider) -> str:
    """From the environment when the variable is set, else the encrypted copy."""
    from_environment = os.environ.get(provider.secret_variable, "")
    if from_environment:
        return from_environment
    return decrypt(provider.client_secret_encrypted) if provider.client_secret_encrypted else ""


def redirect_uri() -> str:
    """The one address every council registers with its provider (README, "Single sign-on")."""
    return settings.PORTAL_BASE_URL + reverse("accounts:sso-callback")


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def client_for(provider: IdentityProvider) -> DjangoOAuth2App:
    """Authlib's client for this provider. Its state, nonce and PKCE verifier live in the
    session under the provider's own name, so two councils' sign-ins never mix."""
    name = f"sso-{provider.pk}"
    return DjangoOAuth2App(
        DjangoIntegration(name),
        name=name,
        client_id=provider.client_id,
        client_secret=client_secret(provider),
        server_metadata_url=discovery_url(provider.issuer),
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": settings.SSO_TIMEOUT_SECONDS,
        },
    )


def check_issuer(metadata: Mapping[str, Any], issuer: str) -> None:
    """OpenID Connect Discovery: the document must name the issuer it was fetched for, or a
    provider could pass off another's tokens."""
    if str(metadata.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise SsoRefused("token", gettext("the provider's settings name a different issuer"))


def asserted_identity(claims: Mapping[str, Any], domains: Collection[str]) -> Asserted:
    """The identity in checked ID token claims, if this provider may vouch for it.

    The address must be in one of the provider's domains, whatever else the token says, and
    not marked unverified. Entra ID puts the address in `preferred_username` when no `email`
    claim is configured; within the council's own domains that is the same address.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SsoRefused("token", gettext("the token names no person"))
    email = claims.get("email") or claims.get("preferred_username") or ""
    if not isinstance(email, str) or "@" not in email:
        raise SsoRefused("no_email")
    email = email.strip().lower()
    if claims.get("email_verified") is False:
        raise SsoRefused("unverified", email)
    if email_domain(email) not in {domain.lower() for domain in domains}:
        raise SsoRefused("domain", email)
    name = claims.get("name")
    return Asserted(subject=subject, email=email, name=name if isinstance(name, str) else "")


def fetch_discovery(issuer: str) -> dict[str, Any]:
    """The provider's published settings, checked: for a lead saving them, so a typing
    mistake shows at once rather than at the first sign-in."""
    import requests

    try:
        response = requests.get(discovery_url(issuer), timeout=settings.SSO_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoRefused("down", type(error).__name__) from None
    if not isinstance(document, dict):
        raise SsoRefused("down", gettext("the settings are not a JSON object"))
    check_issuer(document, issuer)
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if key not in document
    ]
    if missing:
        raise SsoRefused(
            "token", gettext("the provider's settings have no %(key)s") % {"key": missing[0]}
        )
    return document
