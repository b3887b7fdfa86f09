"""Two-factor sign-in in a real browser: a chief executive who must have an app before signing
off sets one up from the QR code page, signs out, and signs in again with a code, a wrong code
and a recovery code; the time-out warning. axe finds nothing on any page."""

import base64
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from assessments.tests.factories import AssessmentRoundFactory, submitted_assessment
from tests.browser.support import assert_accessible, fill_sign_in_form, sign_in_url, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def app_code(secret: str, at: float) -> str:
    """What an authenticator app shows for the key typed in from the page, at a moment."""
    key = secret.replace(" ", "")
    key += "=" * (-len(key) % 8)
    totp = TOTP(base64.b32decode(key))
    totp.time = at
    return f"{totp.token():06d}"


def test_set_up_then_sign_in_with_a_code_a_wrong_code_and_a_recovery_code(
    page, live_server, personas, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    round_ = AssessmentRoundFactory()
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a
    )
    sign_off = live_server.url + reverse("assessments:sign-off", args=[assessment.pk])
    signed_in_page(page, live_server, personas.executive_a)

    # Signing off needs an app: the page says so and goes to set one up, then comes back.
    page.goto(sign_off)
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Set up an authenticator app before you sign off the assessment"
    )
    expect(page.get_by_role("img", name="QR code", exact=False)).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#secret-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    time.sleep(1.1)  # django-otp waits a second after a wrong code before it checks another
    page.get_by_label("Code from your authenticator app").fill(app_code(secret, time.time()))
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Save your recovery codes")
    assert_accessible(page)
    codes = page.locator(".app-recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page).to_have_url(sign_off)
    expect(page.locator("h1")).to_contain_text("Sign off")

    # Signing in again: the password, then a code from the app.
    page.get_by_role("button", name="Sign out").first.click()
    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, personas.executive_a.email, personas.password)
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("123456")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)
    # The app's next code: the one used to set it up cannot be used twice.
    time.sleep(1.1)
    page.get_by_label("Code from your authenticator app").fill(app_code(secret, time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    page.goto(sign_off)
    expect(page.locator("h1")).to_contain_text("Sign off")

    # And with a recovery code, when the phone is lost.
    page.get_by_role("button", name="Sign out").first.click()
    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, personas.executive_a.email, personas.password)
    page.get_by_role("link", name="I cannot use my authenticator app").click()
    expect(page.locator("h1")).to_have_text("Enter a recovery code")
    assert_accessible(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have 9 recovery codes left"
    )

    # Everything shows in the person's history.
    page.goto(live_server.url + reverse("accounts:history"))
    history = page.locator("table")
    for what in (
        "Authenticator app added",
        "Signed in with a password and an authenticator app code",
        "Signed in with a password and a recovery code",
        "A wrong authenticator app or recovery code was entered",
    ):
        expect(history).to_contain_text(what)
    assert_accessible(page)
    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.locator("#security + .govuk-summary-list")).to_contain_text("9 left")
    assert_accessible(page)


def test_the_time_out_warning_offers_to_stay_signed_in(page, live_server, personas, settings):
    settings.SESSION_IDLE_MINUTES = 1
    settings.SESSION_IDLE_WARNING_SECONDS = 57
    signed_in_page(page, live_server, personas.officer_a)

    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("we will sign you out in")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.locator("h1")).to_have_text("Your account")
