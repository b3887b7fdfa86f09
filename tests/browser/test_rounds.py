"""Staff create a round and open it early, through the pages, each passing axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import AssessmentRound, RoundStatus
from assessments.tests.factories import small_framework
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_staff_create_a_round_and_open_it_early(page, live_server, personas):
    small_framework(dimensions=1, questions=1)
    signed_in_page(page, live_server, personas.staff, personas.password)
    page.get_by_role("link", name="Manage rounds").click()
    expect(page.locator("h1")).to_have_text("Rounds")
    assert_accessible(page)

    page.get_by_role("button", name="Create a round").click()
    page.get_by_label("Name", exact=True).fill("2030 to 2031")
    page.get_by_label("Name in Welsh").fill("2030 i 2031")
    fill_date(page, "Opening date", "1", "4", "2030")
    fill_date(page, "Closing date", "31", "3", "2030")
    page.get_by_role("button", name="Save the round").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The closing date must be on or after the opening date"
    )
    assert_accessible(page)
    fill_date(page, "Closing date", "31", "3", "2031")
    page.get_by_role("button", name="Save the round").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("created")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Open now")).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("more than a month from now")
    assert_accessible(page)
    page.get_by_role("button", name="Open the round now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you want")
    assert_accessible(page)
    page.get_by_label("I have read the above and want to go ahead").check()
    page.get_by_role("button", name="Open the round now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is open")
    assert AssessmentRound.objects.get(slug="2030-to-2031").status == RoundStatus.OPEN
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + reverse("rounds:index"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
