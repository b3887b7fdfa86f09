from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councils.register import DEFAULT_CSV_PATH, CouncilImportError, councils_import


class Command(BaseCommand):
    help = (
        "Create or update councils from the register CSV. Safe to run again: councils are "
        "matched by GSS code (or a former code), and nothing changes if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=DEFAULT_CSV_PATH,
            help=f"CSV file to import (default: {DEFAULT_CSV_PATH})",
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = councils_import(path=path)
        except CouncilImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{path} has {count} problem{'s' if count != 1 else ''}. "
                "Nothing was imported or changed."
            ) from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error

        summary = (
            f"Imported {result.total} councils: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
        if result.not_in_file:
            summary += (
                f" {result.not_in_file} council{'s' if result.not_in_file != 1 else ''} "
                "already in the database but not in the file were left alone."
            )
        self.stdout.write(self.style.SUCCESS(summary))
