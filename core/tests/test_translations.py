"""The Welsh catalogue (issue 19, locale/README.md): complete, checked, compiled, current."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from core.management.commands.compile_translations import catalogues, compiled

WELSH = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d and {name}: what Python puts values into.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdfr]|%[sdfr]|\{[a-z_]*\}")


def _entries():
    return [e for e in polib.pofile(str(WELSH)) if not e.obsolete]


def _label(entry) -> str:
    return f"{entry.msgctxt + ': ' if entry.msgctxt else ''}{entry.msgid!r}"


def test_the_welsh_catalogue_is_complete_and_not_fuzzy():
    entries = _entries()
    untranslated = [_label(e) for e in entries if not e.translated()]
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]

    assert entries, "the Welsh catalogue is empty"
    assert not untranslated, f"{len(untranslated)} with no Welsh: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_welsh_keeps_every_placeholder_and_tag():
    wrong = []
    for entry in _entries():
        english = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        tags = sorted(re.findall(r"<(/?[a-z]+)", entry.msgid))
        forms = entry.msgstr_plural if entry.msgid_plural else {2: entry.msgstr}
        for form, welsh in forms.items():
            placeholders = sorted(PLACEHOLDER.findall(welsh))
            # Welsh's forms for one and two (0 and 1) may say the number in words, leaving out
            # %(count)s; every other form keeps every placeholder.
            if placeholders != english and not (
                form in (0, 1) and set(placeholders) <= set(english)
            ):
                wrong.append(_label(entry))
            if sorted(re.findall(r"<(/?[a-z]+)", welsh)) != tags:
                wrong.append(_label(entry))
    assert not wrong, f"placeholders or tags differ in: {sorted(set(wrong))[:20]}"


def test_every_catalogue_is_compiled_from_its_current_text():
    assert catalogues() == [WELSH]
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: run make translations"
        assert mo_path.read_bytes() == compiled(po_path), (
            f"{mo_path} is not what {po_path.name} compiles to: run make translations"
        )


@pytest.mark.slow
def test_every_marked_word_is_in_the_catalogue(tmp_path):
    """What makemessages would find now is what the catalogue holds: nothing marked and left
    out, nothing kept that the code no longer says. Run on a copy of the code, so the real
    catalogue is never touched."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "portal"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "staticfiles",
            "node_modules",
            "__pycache__",
            "*.sqlite3*",
            "test-results",
            "media",
            "run",
            "sent-mail",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "cy",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
            "--ignore",
            "staticfiles/*",
            "--ignore",
            "node_modules/*",
            "--ignore",
            "tests/*",
            "--ignore",
            "*/tests/*",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
    )

    def ids(path):
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}

    found = ids(copy / WELSH.relative_to(settings.BASE_DIR))
    held = ids(WELSH)
    assert not found - held, f"marked but not in the catalogue: {sorted(found - held)[:20]}"
    assert not held - found, f"in the catalogue but no longer marked: {sorted(held - found)[:20]}"
