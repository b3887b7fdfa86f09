"""Playwright fixtures for the browser tests, using Debian's Chromium (no `playwright install`)."""

import os

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS
from tests.support import require

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# and by live_server's handlers are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require(
        CHROMIUM.exists(),
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium chromium-driver)",
    )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The portal's Content-Security-Policy (script-src 'self') forbids the inline script
    # that page.add_script_tag() uses to inject axe. test_csp.py checks the policy itself
    # in contexts that do not bypass it.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # live_server serves /static through the finders, which a manifest storage would break.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def poppler():
    """A journey that reads a downloaded PDF back with poppler's pdftotext."""
    import shutil

    require(
        bool(shutil.which("pdftotext")),
        "pdftotext is not installed (apt-get install poppler-utils)",
    )
