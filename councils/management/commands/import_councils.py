from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from councils.register import (
    DEFAULT_CSV_PATH,
    DEFAULT_WELSH_NAMES_PATH,
    CouncilImportError,
    councils_import,
    welsh_names_import,
)


class Command(BaseCommand):
    help = (
        "Create or update councils from the register CSV, then the Welsh councils' names in "
        "Welsh. Safe to run again: councils are matched by GSS code (or a former code), and "
        "nothing changes if any row of either file is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=DEFAULT_CSV_PATH,
            help=f"CSV file to import (default: {DEFAULT_CSV_PATH})",
        )
        parser.add_argument(
            "--welsh-names",
            type=Path,
            default=DEFAULT_WELSH_NAMES_PATH,
            help=f"CSV of Welsh councils' names in Welsh (default: {DEFAULT_WELSH_NAMES_PATH})",
        )

    def handle(self, *args: Any, path: Path, welsh_names: Path, **options: Any) -> None:
        reading = path  # the file a problem is in
        try:
            with transaction.atomic():
                result = councils_import(path=path)
                reading = welsh_names
                welsh = welsh_names_import(welsh_names)
        except CouncilImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{reading} has {count} problem{'s' if count != 1 else ''}. "
                "Nothing was imported or changed."
            ) from error
        except OSError as error:
            raise CommandError(f"Cannot read {reading}: {error.strerror or error}") from error

        summary = (
            f"Imported {result.total} councils: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
        if result.not_in_file:
            summary += (
                f" {result.not_in_file} council{'s' if result.not_in_file != 1 else ''} "
                "already in the database but not in the file were left alone."
            )
        summary += f" Welsh names: {welsh.changed} set, {welsh.unchanged} unchanged"
        if welsh.not_in_register:
            summary += f", {welsh.not_in_register} for councils not in the database"
        self.stdout.write(self.style.SUCCESS(summary + "."))
