"""collectstatic works with the production storage, and what it writes can all be cached."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from config.settings import base


@pytest.mark.slow
def test_collectstatic_with_the_production_storage_hashes_every_file_and_import(tmp_path):
    assert base.STORAGES["staticfiles"]["BACKEND"] == "core.storage.StaticFilesStorage"
    with override_settings(STATIC_ROOT=str(tmp_path), STORAGES=base.STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    init = (tmp_path / manifest["js/govuk-init.js"]).read_text()
    # The module import names the hashed file, so it too is served as immutable.
    hashed_frontend = manifest["govuk/govuk-frontend.min.js"].rsplit("/", 1)[-1]
    assert re.search(rf'from "\.\./govuk/{re.escape(hashed_frontend)}"', init), init
    # Compressed copies for WhiteNoise to serve.
    plotly = manifest["vendor/plotly/plotly-custom.min.js"]
    assert (tmp_path / f"{plotly}.gz").exists()
