"""The accessibility check itself works: axe is injected and reports what it finds."""

import pytest

from tests.browser.support import assert_accessible, axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_violations(page):
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="x.png"><input type="text"></main></body></html>'
    )

    found = {violation["id"] for violation in axe_violations(page)}

    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
