"""Who a checked ID token signs in (accounts.services.identity_sign_in), which claims a
provider may vouch for (accounts.sso.asserted_identity), and saving a council's provider."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import CouncilMembership, CouncilRole, ExternalIdentity, IdentityProvider
from accounts.sso import Asserted, SsoRefused, asserted_identity, client_secret
from accounts.tests.factories import InvitationFactory
from core.encryption import decrypt

DOMAINS = ["hartlepool.example"]


def save(council, by, **changes):
    """identity_provider_save with a new Google provider's values, but for `changes`."""
    values = {
        "kind": "google",
        "issuer": "https://accounts.google.com",
        "client_id": "x",
        "client_secret": "y",
        "domains": ["middlesbrough.example"],
        "enabled": True,
        "version": None,
    }
    return services.identity_provider_save(council=council, by=by, **{**values, **changes})


HARTLEPOOL = {
    "kind": "other",
    "issuer": "https://sign-in.hartlepool.example",
    "client_id": "portal",
}


@pytest.fixture
def provider(personas):
    return save(
        personas.council_a,
        personas.lead_a,
        **HARTLEPOOL,
        client_secret="s3cret-value",
        domains=["Hartlepool.example"],
    )


def asserted(email: str, subject: str = "sub-1", name: str = "") -> Asserted:
    return Asserted(subject=subject, email=email, name=name)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "a@hartlepool.example"}, "token"),  # no subject
        ({"sub": "1"}, "no_email"),
        ({"sub": "1", "email": "a@elsewhere.example"}, "domain"),
        ({"sub": "1", "email": "a@hartlepool.example.evil.example"}, "domain"),
        ({"sub": "1", "email": "a@hartlepool.example", "email_verified": False}, "unverified"),
    ],
)
def test_claims_a_provider_may_not_vouch_for_are_refused(claims, reason):
    with pytest.raises(SsoRefused) as refused:
        asserted_identity(claims, DOMAINS)
    assert refused.value.reason == reason


def test_entra_ids_preferred_username_stands_in_for_a_missing_email():
    claims = {"sub": "1", "preferred_username": "Olivia.Okafor@Hartlepool.example", "name": "O"}
    assert asserted_identity(claims, DOMAINS) == Asserted(
        "1", "olivia.okafor@hartlepool.example", "O"
    )


def test_the_secret_is_stored_encrypted(provider):
    assert "s3cret-value" not in provider.client_secret_encrypted
    assert decrypt(provider.client_secret_encrypted) == "s3cret-value"
    assert client_secret(provider) == "s3cret-value"


def test_a_secret_in_the_environment_wins(provider, monkeypatch):
    monkeypatch.setenv("SSO_CLIENT_SECRET_E06000001", "from-the-environment")
    assert client_secret(provider) == "from-the-environment"


def test_domains_are_stored_lower_case(provider):
    assert list(provider.domains.values_list("domain", flat=True)) == ["hartlepool.example"]


def test_only_the_lead_or_staff_may_connect_a_provider(personas):
    with pytest.raises(PermissionDenied):
        save(personas.council_a, personas.officer_a, domains=["hartlepool.example"])
    staff_saved = save(personas.council_b, personas.staff)
    assert staff_saved.council == personas.council_b


def test_a_domain_belongs_to_one_council(provider, personas):
    with pytest.raises(ValidationError) as error:
        save(personas.council_b, personas.staff, domains=["hartlepool.example"])
    assert "already signs in through another council's provider" in str(error.value)


def test_a_change_from_an_out_of_date_page_is_refused(provider, personas):
    with pytest.raises(ValidationError):
        save(
            personas.council_a,
            personas.lead_a,
            **{**HARTLEPOOL, "client_id": "changed"},
            client_secret="",
            domains=DOMAINS,
            version=provider.version - 1,
        )
    provider.refresh_from_db()
    assert provider.client_id == "portal"


def test_an_empty_secret_keeps_the_saved_one(provider, personas):
    saved = save(
        personas.council_a,
        personas.lead_a,
        **{**HARTLEPOOL, "client_id": "portal-2"},
        client_secret="",
        domains=DOMAINS,
        version=provider.version,
    )
    assert client_secret(saved) == "s3cret-value" and saved.client_id == "portal-2"


def test_an_existing_account_is_linked_then_the_subject_decides(provider, personas):
    user = services.identity_sign_in(
        provider=provider, asserted=asserted(personas.officer_a.email.upper())
    )
    assert user == personas.officer_a
    # Later the address may change at the provider; the subject still names the person.
    again = services.identity_sign_in(
        provider=provider, asserted=asserted("renamed@hartlepool.example")
    )
    assert again == personas.officer_a
    assert ExternalIdentity.objects.filter(user=personas.officer_a).count() == 1


def test_an_address_nobody_invited_is_refused_and_nothing_is_made(provider):
    with pytest.raises(SsoRefused) as refused:
        services.identity_sign_in(provider=provider, asserted=asserted("new@hartlepool.example"))
    assert refused.value.reason == "not_invited"
    assert not ExternalIdentity.objects.exists()


def test_an_invitation_gives_the_role_and_sign_in_never_does(provider, personas):
    InvitationFactory(
        council=personas.council_a,
        email="new.officer@hartlepool.example",
        role=CouncilRole.OFFICER,
        invited_by=personas.lead_a,
    )

    user = services.identity_sign_in(
        provider=provider,
        asserted=asserted("new.officer@hartlepool.example", name="Nadia New"),
    )

    assert user.full_name == "Nadia New" and not user.has_usable_password()
    membership = CouncilMembership.objects.get(user=user)
    assert (membership.council, membership.role) == (personas.council_a, CouncilRole.OFFICER)


def test_an_account_linked_to_another_subject_is_not_taken_over(provider, personas):
    services.identity_sign_in(provider=provider, asserted=asserted(personas.lead_a.email, "A"))
    with pytest.raises(SsoRefused) as refused:
        services.identity_sign_in(provider=provider, asserted=asserted(personas.lead_a.email, "B"))
    assert refused.value.reason == "other_subject"


def test_a_closed_account_is_refused(provider, personas):
    personas.officer_a.is_active = False
    personas.officer_a.save()
    with pytest.raises(SsoRefused) as refused:
        services.identity_sign_in(provider=provider, asserted=asserted(personas.officer_a.email))
    assert refused.value.reason == "inactive"


def test_removing_the_provider_removes_its_links(provider, personas):
    services.identity_sign_in(provider=provider, asserted=asserted(personas.officer_a.email))
    services.identity_provider_remove(provider=provider, by=personas.lead_a)
    assert not IdentityProvider.objects.exists() and not ExternalIdentity.objects.exists()


def test_an_invitation_in_a_connected_domain_offers_the_councils_sign_in(
    client, provider, personas
):
    from django.urls import reverse

    from accounts.tokens import make_invitation_token

    invited = InvitationFactory(council=personas.council_a, email="new@hartlepool.example")
    elsewhere = InvitationFactory(council=personas.council_a, email="new@elsewhere.example")

    page = client.get(
        reverse(
            "accounts:accept-invitation", args=[make_invitation_token(invited.pk, invited.nonce)]
        )
    ).content.decode()
    other = client.get(
        reverse(
            "accounts:accept-invitation",
            args=[make_invitation_token(elsewhere.pk, elsewhere.nonce)],
        )
    ).content.decode()

    assert "Continue with Another OpenID Connect provider" in page
    assert 'name="username" value="new@hartlepool.example"' in page
    assert "Continue with" not in other


def test_staff_find_any_councils_sign_in_settings_from_its_page(client, personas):
    from django.urls import reverse

    settings_url = reverse("accounts:sign-in-settings", args=["E06000002"])
    detail = reverse("councils:detail", args=["E06000002"])
    client.force_login(personas.officer_a)
    assert settings_url not in client.get(detail).content.decode()
    client.force_login(personas.staff)
    assert settings_url in client.get(detail).content.decode()
