"""The project's layout keeps its promises: `make test` finds every app's tests, and every
app says what it owns."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _apps_with_tests() -> set[str]:
    return {path.parent.parent.name for path in ROOT.glob("*/tests/__init__.py")}


def test_make_test_collects_every_apps_tests():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    testpaths = set(ini["pytest"]["testpaths"].split())

    assert _apps_with_tests() - testpaths == set()


def test_every_app_has_a_readme_saying_what_it_owns():
    assert [
        app for app in sorted(_apps_with_tests()) if not (ROOT / app / "README.md").is_file()
    ] == []
