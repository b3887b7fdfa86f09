"""Whole journeys in a real browser: a lead invites an officer, who joins; every page passes axe."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import CouncilMembership
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_lead_invites_an_officer_who_sets_a_password_and_joins(page, live_server, personas):
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    page.get_by_role("link", name="Your team").click()
    expect(page.locator("h1")).to_have_text("Your council's team")
    assert_accessible(page)

    page.get_by_role("button", name="Invite someone").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a role")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Email address").fill("new.officer@hartlepool.example")
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Invitation sent to new.officer@hartlepool.example"
    )
    expect(page.locator("main")).to_contain_text("Invitations waiting to be accepted")
    assert_accessible(page)

    # The email went out from the background job once the invitation was committed.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", mail.outbox[0].body).group(1)

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")

    page.goto(live_server.url + link)
    expect(page.locator("h1")).to_have_text("Create your account")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("too short")
    assert_accessible(page)
    page.get_by_label("Create a password").fill("a-good-long-password")
    page.get_by_label("Confirm password").fill("a-good-long-password")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    expect(page.locator("main")).to_contain_text("Hartlepool Borough Council")
    assert CouncilMembership.objects.filter(
        user__email="new.officer@hartlepool.example", council=personas.council_a
    ).exists()

    # The link was single-use.
    page.goto(live_server.url + link)
    expect(page.locator("h1")).to_have_text("This invitation link does not work")


@pytest.mark.parametrize(
    "who, url_name, args",
    [
        ("officer_a", "accounts:account", []),
        ("officer_a", "accounts:password-change", []),
        ("officer_a", "councils:detail", ["E06000002"]),
        ("analyst", "councils:networks", []),
        ("analyst", "councils:network-detail", ["north-east-digital"]),
    ],
)
def test_signed_in_pages_are_accessible(page, live_server, personas, who, url_name, args):
    signed_in_page(page, live_server, getattr(personas, who), personas.password)
    response = page.goto(live_server.url + reverse(url_name, args=args))
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_password_reset_pages_are_accessible(page, live_server, personas):
    page.goto(live_server.url + reverse("accounts:password-reset"))
    assert_accessible(page)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    assert_accessible(page)
    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)


def test_not_found_page_is_accessible(page, live_server, personas):
    signed_in_page(page, live_server, personas.officer_b, personas.password)
    response = page.goto(
        live_server.url + reverse("accounts:team", args=[personas.council_a.gss_code])
    )
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)
