"""The public pages work in a real browser, anonymously, and pass axe's WCAG 2.2 AA rules."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy", "core:about-data"])
def test_public_page_is_accessible(page, live_server, name):
    response = page.goto(live_server.url + reverse(name))

    assert response is not None and response.status == 200
    assert page.url == live_server.url + reverse(name), "a public page must not redirect"
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
