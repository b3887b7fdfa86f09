"""The sign-in form, with and without JavaScript, including its GOV.UK error summary."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import (
    assert_accessible,
    fill_sign_in_form,
    sign_in_url,
    signed_in_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# GOV.UK pattern: the page title starts "Error: " when the form has errors.
ERROR_TITLE = re.compile(r"^Error: ")


def test_sign_in_page_is_accessible(page, live_server, personas):
    response = page.goto(sign_in_url(live_server))

    assert response is not None and response.status == 200
    expect(page.get_by_label("Email address")).to_be_visible()
    # The address first: it decides between the council's own sign-in service and a password.
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value(personas.officer_a.email)
    assert_accessible(page)


def test_empty_submit_shows_error_summary(page, live_server, personas):
    page.goto(sign_in_url(live_server))
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter your email address")
    expect(page).to_have_title(ERROR_TITLE)
    # Each message links to its field.
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign in").click()
    expect(summary).to_contain_text("Enter your password")
    expect(page).to_have_title(ERROR_TITLE)
    assert_accessible(page)


def test_wrong_password_shows_error(page, live_server, personas):
    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, personas.officer_a.email, "not-the-right-password")

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password"
    )
    assert page.url.startswith(sign_in_url(live_server))
    assert_accessible(page)


def test_right_password_lands_on_home_page(page, live_server, personas):
    signed_in_page(page, live_server, personas.officer_a, personas.password)

    assert page.url == live_server.url + reverse("portal:home")
    expect(page.locator("h1")).to_have_count(1)


def test_sign_in_works_without_javascript(browser, live_server, personas):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sign_in_url(live_server))
        page.get_by_role("button", name="Continue").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter your email address")

        fill_sign_in_form(page, personas.officer_a.email, "not-the-right-password")
        expect(summary).to_contain_text("Enter a correct email address and password")

        fill_sign_in_form(page, personas.officer_a.email, personas.password)
        expect(page).to_have_url(live_server.url + reverse("portal:home"))
    finally:
        context.close()


def test_too_many_wrong_passwords_show_the_lockout_page(page, live_server, personas, settings):
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        page.goto(sign_in_url(live_server))
        fill_sign_in_form(page, personas.officer_a.email, "not-the-right-password")
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, personas.officer_a.email.upper(), personas.password)

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()
    assert_accessible(page)
