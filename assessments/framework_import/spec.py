"""What a framework file says, in a form that can be compared with what the database holds,
and what an import returns or refuses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assessments import scoring
from assessments.models import Framework, FrameworkStatus

DIMENSION_CODE_RE = re.compile(r"^[A-Z]{3,4}$")
QUESTION_CODE_RE = re.compile(r"^[A-Z]{3,4}-\d{2}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVELS = scoring.LEVELS


class FrameworkImportError(Exception):
    """The file cannot be imported. Nothing in the database was changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the framework file: "
            + "; ".join(problems[:5])
            + ("; …" if count > 5 else "")
        )


@dataclass(frozen=True)
class FrameworkImportResult:
    framework: Framework
    # A new version was added.
    created: bool
    # The version was already in the database exactly as the file describes it.
    unchanged: bool


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    statement: str
    guidance: str
    levels: tuple[str, ...]  # the descriptors for levels 1 to 5, in order
    replaces: str  # a question code in the previous version, or ""


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    description: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    name: str
    version: int
    status: str
    description: str
    dimensions: tuple[DimensionSpec, ...]

    @property
    def questions(self) -> list[QuestionSpec]:
        return [question for dimension in self.dimensions for question in dimension.questions]

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED

    def content(self) -> tuple[Any, ...]:
        """Everything but the status: what a draft's promotion must leave alone."""
        return (self.slug, self.name, self.version, self.description, self.dimensions)

    def label(self) -> str:
        return f"{self.slug} version {self.version}"
