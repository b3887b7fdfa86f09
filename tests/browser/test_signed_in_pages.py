"""Pages behind sign-in work in a real browser and pass axe's WCAG 2.2 AA rules."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_home_page_is_accessible(page, live_server, personas):
    signed_in_page(page, live_server, personas.lead_a, personas.password)

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_contain_text(personas.council_a.short_name)
    assert_accessible(page)


def test_council_directory_is_accessible(page, live_server, personas):
    signed_in_page(page, live_server, personas.officer_a, personas.password)
    response = page.goto(live_server.url + reverse("councils:directory"))

    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_contain_text(personas.council_b.short_name)
    assert_accessible(page)
