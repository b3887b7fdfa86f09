from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.framework_import import (
    DEFAULT_FRAMEWORK_DIR,
    FrameworkImportError,
    framework_import,
    framework_paths_in_order,
)


class Command(BaseCommand):
    help = (
        "Load framework versions from YAML files. Safe to run again: a version already in the "
        "database is left alone, a published version's English can never change (its Welsh "
        "may be corrected), and nothing in a file is imported if any of it is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help=f"YAML files to import (default: every *.yaml in {DEFAULT_FRAMEWORK_DIR})",
        )

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        if not paths:
            paths = list(DEFAULT_FRAMEWORK_DIR.glob("*.yaml"))
            if not paths:
                raise CommandError(f"There are no framework files in {DEFAULT_FRAMEWORK_DIR}.")
        # Earlier versions first: a question's `replaces` names one in the version before.
        for path in framework_paths_in_order(paths):
            try:
                result = framework_import(path=path)
            except FrameworkImportError as error:
                for problem in error.problems:
                    self.stderr.write(problem)
                count = len(error.problems)
                raise CommandError(
                    f"{path} has {count} problem{'s' if count != 1 else ''}. "
                    "Nothing in it was imported or changed."
                ) from error
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error

            framework = result.framework
            label = f"{framework.slug} v{framework.version}"
            if result.unchanged:
                self.stdout.write(f"{label}: unchanged.")
                continue
            if result.welsh_changes:
                count = len(result.welsh_changes)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{label}: Welsh updated in {count} place{'s' if count != 1 else ''}; "
                        "the English is unchanged."
                    )
                )
                for change in result.welsh_changes:
                    self.stdout.write(f"  {change}", style_func=None)
                continue
            dimensions = framework.dimensions.count()
            questions = framework.questions.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{label}: {'created' if result.created else 'updated'}, "
                    f"{dimensions} dimension{'s' if dimensions != 1 else ''}, "
                    f"{questions} question{'s' if questions != 1 else ''}."
                )
            )
