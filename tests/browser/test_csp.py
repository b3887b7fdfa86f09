"""The pages run under their real Content-Security-Policy without being blocked.

The other browser tests bypass the policy so that axe can be injected; these do not.
"""

import pytest
from django.urls import reverse

from tests.browser.support import fill_sign_in_form, sign_in_url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def strict_page(browser):
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page, problems
    context.close()


def test_public_and_sign_in_pages_load_cleanly_under_csp(strict_page, live_server, personas):
    page, problems = strict_page
    for name in ["core:accessibility", "core:privacy", "core:about-data", "accounts:sign-in"]:
        response = page.goto(live_server.url + reverse(name))
        assert response is not None and response.status == 200, f"{name}: {response}"
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        # GOV.UK Frontend's own scripts ran, so they were not blocked.
        assert "govuk-frontend-supported" in page.evaluate("document.body.className")

    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, personas.officer_a.email, personas.password)
    page.wait_for_url(live_server.url + reverse("portal:home"))

    assert problems == [], "\n".join(problems)


def test_the_api_documentation_works_under_csp(strict_page, live_server):
    from playwright.sync_api import expect

    page, problems = strict_page
    page.goto(live_server.url + reverse("api:openapi-view"))

    # Swagger UI drew the schema's operations, with nothing blocked.
    expect(page.locator(".swagger-ui .title")).to_contain_text(
        "Council Digital Maturity Portal API"
    )
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert problems == []
