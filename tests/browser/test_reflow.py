"""Every page of every persona reflows on a phone and passes axe (WCAG 2.2 1.4.10), in English
and in Welsh (issue 19: Welsh words are often longer, and the page must say lang="cy").

The pages are found as the fuzz test finds them: every route of the portal, filled with the
real ids of a world where council A has results, a plan, an assessment waiting for sign-off and
one in progress; each persona's HTML pages are those that answer 200. Each is opened in
Chromium at 320 CSS px, where axe (best practices included) must find nothing, and, in English,
widened to 390: nothing may scroll sideways at either. Failures are gathered, so one run lists
them all.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser.support import axe_violations, format_violations
from tests.test_fuzz import PERSONAS, PROJECT_ROUTES, SIGNS_OUT, real_urls, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

WIDTHS = (320, 390)
# The deepest elements that reach past the window's right edge, to say what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent || '')
    .trim().slice(0, 40)}"`)
  .join('; ')"""
# Files, not pages.
NOT_PAGES = ("text/csv", "application/", "image/")
# django-ninja's interactive API documentation (Swagger UI) is a third-party tool for
# developers, left out as the admin site is; the GOV.UK API tokens page explains the API.
NOT_OURS = {"api:openapi-view"}


def _pages(personas, world) -> list[tuple[str, str, str]]:  # noqa: F811
    """(persona, url, session cookie) for every HTML page each persona can open."""
    found = []
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(getattr(personas, persona))
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        for route in PROJECT_ROUTES:
            if route.name in SIGNS_OUT or route.name in NOT_OURS:
                continue
            for url in real_urls(route, world):
                response = client.get(url)
                content_type = response.get("Content-Type", "")
                if response.status_code == 200 and content_type.startswith("text/html"):
                    found.append((persona, url, cookie))
    anonymous = Client()
    for route in PROJECT_ROUTES:
        if route.name in NOT_OURS:
            continue
        for url in real_urls(route, world):
            response = anonymous.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                found.append(("anonymous", url, ""))
    return found


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_every_page_reflows_at_320_and_390_px_and_passes_axe(
    page,
    live_server,
    personas,
    world,  # noqa: F811
    language,
):
    pages = _pages(personas, world)
    assert len(pages) > 50
    failures: list[str] = []
    chosen = {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language}
    for persona, url, cookie in pages:
        page.context.clear_cookies()
        cookies = [chosen]
        if cookie:
            cookies.append({"name": django_settings.SESSION_COOKIE_NAME, "value": cookie})
        page.context.add_cookies([c | {"url": live_server.url} for c in cookies])
        # Each page is loaded and checked by axe once per language, at the narrowest width,
        # where longer (Welsh) words overflow first. GOV.UK Frontend has no breakpoint below
        # 641 px, so 390 px is the same layout with more room: the English page is only
        # widened and measured again, not reloaded (loading and axe are most of the time).
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        page.goto(live_server.url + url)
        shown = page.evaluate("document.documentElement.lang")
        if shown != language:
            failures.append(f"{persona} {url}: lang is {shown!r}, not {language!r}")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{persona} {url} at {WIDTHS[0]} px:\n" + format_violations(violations))
        for width in WIDTHS if language == django_settings.LANGUAGE_CODE else WIDTHS[:1]:
            page.set_viewport_size({"width": width, "height": 844})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                failures.append(
                    f"{persona} {url} at {width} px: {overflow} px too wide, "
                    f"widest: {page.evaluate(WIDEST)}"
                )
    assert not failures, f"{len(failures)} of {len(pages) * len(WIDTHS)}:\n" + "\n".join(failures)
