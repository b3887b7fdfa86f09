"""Helpers for browser tests: accessibility checks with axe-core, and signing in for real."""

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD

# Debian's Chromium; CHROMIUM_PATH may point elsewhere on a developer's machine.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core, vendored so that no Node is needed at test time (see vendor/README.md).
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2.2 A and AA, and axe's best practices (landmarks, one main, headings in order), whose
# findings are moderate or minor: all of them must pass too.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations",
        WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} <{violation.get('helpUrl', '')}>"
        )
        for node in violation.get("nodes", []):
            target = ", ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail if axe-core finds any WCAG 2.2 A/AA violation or best-practice finding, moderate
    and minor ones included, on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def sign_in_url(live_server) -> str:
    return live_server.url + reverse("accounts:sign-in")


def fill_sign_in_form(page: Page, email: str, password: str) -> None:
    """The address first (Continue) when the page asks for it alone, then the password."""
    page.get_by_label("Email address").fill(email)
    password_box = page.get_by_label("Password", exact=True)
    if not password_box.count():
        page.get_by_role("button", name="Continue").click()
    password_box.fill(password)
    page.get_by_role("button", name="Sign in").click()


def signed_in_page(page: Page, live_server, user, password: str = PASSWORD) -> Page:
    """Sign in through the real sign-in form and return the page, now on the home page."""
    page.goto(sign_in_url(live_server))
    fill_sign_in_form(page, user.email, password)
    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    return page


def drawn_chart(page: Page, chart_id: str):
    """The drawn chart's SVG, once scrolled to: charts.js draws a chart only near the screen."""
    page.locator(f'[data-app-chart="{chart_id}"]').scroll_into_view_if_needed()
    return page.locator(f'[data-app-chart="{chart_id}"] svg.main-svg').first
