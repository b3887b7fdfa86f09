"""A lead's API token pages: made and shown once, listed, revoked after a confirmation; nobody
else's council, and nobody but the lead."""

import re

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.views import rate_words

LIST = reverse("api-tokens:list", args=["E06000001"])
NEW = reverse("api-tokens:new", args=["E06000001"])


@pytest.mark.parametrize("persona", ["officer_a", "executive_a", "officer_b", "analyst", "staff"])
def test_only_the_councils_lead_manages_its_tokens(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404


def test_a_token_is_shown_once_then_only_its_start(client, personas):
    client.force_login(personas.lead_a)

    made = client.post(NEW, {"name": "Power BI board report", "days": "90"})

    assert made.status_code == 302 and made["Location"] == LIST
    page = client.get(LIST).content.decode()
    shown = re.search(r'id="new-token" class="app-break-anywhere">(cdmp_[\w-]+)<', page)
    assert shown is not None
    token = ApiToken.objects.get()
    assert token.name == "Power BI board report" and token.created_by == personas.lead_a
    assert (token.expires_at - token.created_at).days == 90
    again = client.get(LIST).content.decode()
    assert shown.group(1) not in again and token.prefix in again
    # The token works on the API.
    api = client.get(reverse("api:council"), headers={"Authorization": f"Bearer {shown.group(1)}"})
    assert api.status_code == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "days": "30"}, "Enter a name for the token"),
        ({"name": "x" * 81, "days": "30"}, "Enter a name of 80 characters or fewer"),
        ({"name": "BI", "days": "7"}, "Select how long the token should work"),
        ({"name": "BI"}, "Select how long the token should work"),
    ],
)
def test_mistakes_get_a_gov_uk_error(client, personas, data, error):
    client.force_login(personas.lead_a)
    response = client.post(NEW, data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_and_a_foreign_token_is_404(client, personas):
    client.force_login(personas.lead_a)
    client.post(NEW, {"name": "Excel", "days": "30"})
    token = ApiToken.objects.get()
    revoke = reverse("api-tokens:revoke", args=["E06000001", token.pk])

    assert "Are you sure you want to revoke" in client.get(revoke).content.decode()
    client.post(revoke)
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == personas.lead_a
    assert "Revoked" in client.get(LIST).content.decode()
    # Through another council's address, the token does not exist.
    assert client.get(reverse("api-tokens:revoke", args=["E06000002", token.pk])).status_code == 404


def test_the_rate_is_said_in_words():
    assert rate_words("120/m") == "120 a minute"
    assert rate_words("5000/d") == "5000 a day"
