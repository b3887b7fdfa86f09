"""The header's language switch (issue 19): English or Welsh, back to the same page, the
choice kept in a cookie and, for someone signed in, on their account."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import CouncilRole, User

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, "no lang on <html>"
    return found.group(1)


def test_a_page_says_its_language_and_offers_the_other(client):
    page = client.get(reverse("accounts:sign-in"))

    html = page.content.decode()
    assert _lang(page) == "en-gb"
    assert page["Content-Language"] == "en-gb"
    switch = reverse("accounts:language", args=["cy"]) + "?next=/sign-in/"
    assert f'href="{switch}" hreflang="cy" lang="cy"' in html
    assert '<span aria-current="true" lang="en-gb">English</span>' in html


def test_the_switch_comes_back_to_the_same_page_in_welsh(client):
    reply = client.get(reverse("accounts:language", args=["cy"]), {"next": "/sign-in/?a=1"})

    assert reply.status_code == 302
    assert reply["Location"] == "/sign-in/?a=1"
    assert reply.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    page = client.get("/sign-in/")
    assert _lang(page) == "cy"
    assert page["Content-Language"] == "cy"
    html = page.content.decode()
    assert '<span aria-current="true" lang="cy">Cymraeg</span>' in html
    # Each language named in itself: "English", not "Saesneg".
    assert "Change the language to English: </span>English</a>" in html


def test_the_browser_language_is_used_until_someone_chooses(client):
    assert _lang(client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE="cy")) == "cy"
    client.get(reverse("accounts:language", args=["en-gb"]), {"next": "/sign-in/"})
    assert _lang(client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE="cy")) == "en-gb"


def test_a_signed_in_choice_follows_the_person_to_another_device(client, personas):
    client.force_login(personas.officer_a)
    client.get(
        reverse("accounts:language", args=["cy"]), {"next": "/"}, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert User.objects.get(pk=personas.officer_a.pk).language == "cy"
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    elsewhere.force_login(personas.officer_a)
    assert _lang(elsewhere.get(reverse("accounts:account"))) == "cy"
    # And stays with them once they sign out there.
    elsewhere.post(reverse("accounts:sign-out"))
    assert _lang(elsewhere.get(reverse("accounts:signed-out"))) == "cy"


@pytest.mark.parametrize(
    "headers, saved",
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, "cy"),
        ({"HTTP_SEC_FETCH_SITE": "none"}, "cy"),  # typed in the address bar
        ({"HTTP_REFERER": "http://testserver/assessments/"}, "cy"),  # a browser before Sec-Fetch
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, ""),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, ""),
        ({"HTTP_REFERER": "https://evil.example/"}, ""),
        ({}, ""),
    ],
)
def test_only_the_portals_own_pages_change_the_accounts_language(client, personas, headers, saved):
    client.force_login(personas.officer_a)

    reply = client.get(reverse("accounts:language", args=["cy"]), {"next": "/"}, **headers)

    assert reply.status_code == 302
    assert reply.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert User.objects.get(pk=personas.officer_a.pk).language == saved


@pytest.mark.parametrize(
    "next_page", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_the_switch_never_sends_people_off_the_site(client, next_page):
    reply = client.get(reverse("accounts:language", args=["cy"]), {"next": next_page})

    assert reply.status_code == 302
    assert reply["Location"] == reverse("portal:home")


def test_an_unknown_language_is_not_found(client, personas):
    client.force_login(personas.officer_a)

    assert client.get(reverse("accounts:language", args=["fr"])).status_code == 404
    assert User.objects.get(pk=personas.officer_a.pk).language == ""


def test_a_choice_made_before_signing_in_is_kept_on_the_account(client, personas):
    client.get(reverse("accounts:language", args=["cy"]), {"next": "/sign-in/"})
    client.post(
        reverse("accounts:sign-in"),
        {"username": personas.officer_a.email, "password": personas.password},
    )

    assert User.objects.get(pk=personas.officer_a.pk).language == "cy"


def test_signing_in_never_overwrites_a_choice_on_the_account(client, personas):
    User.objects.filter(pk=personas.officer_a.pk).update(language="en-gb")
    client.get(reverse("accounts:language", args=["cy"]), {"next": "/sign-in/"})
    client.post(
        reverse("accounts:sign-in"),
        {"username": personas.officer_a.email, "password": personas.password},
    )

    assert User.objects.get(pk=personas.officer_a.pk).language == "en-gb"


# Emails in the reader's language -------------------------------------------------------


def test_an_invitation_is_written_in_the_inviting_leads_language(
    personas, django_capture_on_commit_callbacks
):
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            council=personas.council_a,
            email="swyddog.newydd@hartlepool.example",
            role=CouncilRole.OFFICER,
            invited_by=personas.lead_a,
        )

    assert invitation.language == "cy"
    [message] = mail.outbox
    assert message.subject == (
        "Gwahoddiad i ymuno â Hartlepool ar wefan Porth Aeddfedrwydd Digidol Cynghorau"
    )


def test_an_invitation_to_someone_who_chose_a_language_is_in_theirs(
    personas, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=personas.officer_b.pk).update(language="en-gb")
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            council=personas.council_a,
            email=personas.officer_b.email,
            role=CouncilRole.OFFICER,
            invited_by=personas.lead_a,
        )

    [message] = mail.outbox
    assert message.subject.startswith("You are invited to join Hartlepool")


def test_a_password_reset_is_written_in_the_account_holders_language(client, personas):
    User.objects.filter(pk=personas.officer_a.pk).update(language="cy")

    client.post(reverse("accounts:password-reset"), {"email": personas.officer_a.email})

    [message] = mail.outbox
    assert message.subject == (
        "Ailosod eich cyfrinair ar gyfer Porth Aeddfedrwydd Digidol Cynghorau"
    )


def test_your_account_says_the_language_and_links_to_the_other(client, personas):
    client.force_login(personas.officer_a)
    client.get(reverse("accounts:language", args=["cy"]), {"next": "/"})

    html = client.get(reverse("accounts:account")).content.decode()

    row = html[html.index('id="language"') :]
    assert '<span lang="cy">Cymraeg</span>' in row[:600]
    change = reverse("accounts:language", args=["en-gb"]) + "?next=/account/"
    assert f'href="{change}" hreflang="en-gb"' in row[:1200]
