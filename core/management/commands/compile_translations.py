"""Compile every catalogue in LOCALE_PATHS (django.po to django.mo) without GNU gettext, so a
machine with only Python can do it; `make translations` runs it after makemessages."""

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    return sorted(
        po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/django.po")
    )


def compiled(po_path: Path) -> bytes:
    """The .mo file's bytes: translated, non-fuzzy entries only, as msgfmt makes them."""
    return bytes(polib.pofile(str(po_path)).to_binary())


class Command(BaseCommand):
    help = "Compile the portal's translation catalogues (locale/*/LC_MESSAGES/django.po)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            po_path.with_suffix(".mo").write_bytes(compiled(po_path))
            self.stdout.write(f"Compiled {po_path.relative_to(settings.BASE_DIR)}")
