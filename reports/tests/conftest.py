"""What the report tests need from the machine: skipped without it, except in CI."""

import shutil
from pathlib import Path

import pytest

from reports import rendering
from tests.support import require


@pytest.fixture
def chromium():
    """Charts in PDFs are drawn by Chromium (through kaleido)."""
    path = rendering.browser_path()
    require(Path(path).is_file(), f"Chromium is not installed at {path} (apt-get install chromium)")


@pytest.fixture
def poppler():
    """The PDF tests read their text back with poppler's tools."""
    require(
        bool(shutil.which("pdftotext") and shutil.which("pdfinfo")),
        "pdftotext and pdfinfo are not installed (apt-get install poppler-utils)",
    )


@pytest.fixture(scope="module", autouse=True)
def _stop_chromium_afterwards():
    """One Chromium serves a whole module's charts; none outlives it."""
    yield
    rendering.stop()
