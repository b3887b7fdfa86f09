"""What a framework file says, in a form that can be compared with what the database holds,
and what an import returns or refuses.

Each text is in English (`name`) and Welsh (`name_cy`). A published version's English never
changes; its Welsh may be corrected, so `english()` is what must stay the same."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
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
    # Where the Welsh was corrected in place, the English being the same (e.g. "Question
    # LEAD-01: statement_cy"); empty when the version was created or its content replaced.
    welsh_changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    statement: str
    guidance: str
    levels: tuple[str, ...]  # the descriptors for levels 1 to 5, in order
    replaces: str  # a question code in the previous version, or ""
    statement_cy: str = ""
    guidance_cy: str = ""
    levels_cy: tuple[str, ...] = ()  # in Welsh, as levels; () for none

    def english(self) -> QuestionSpec:
        return replace(self, statement_cy="", guidance_cy="", levels_cy=())


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    description: str
    questions: tuple[QuestionSpec, ...]
    name_cy: str = ""
    description_cy: str = ""

    def english(self) -> DimensionSpec:
        return replace(
            self,
            name_cy="",
            description_cy="",
            questions=tuple(question.english() for question in self.questions),
        )


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    name: str
    version: int
    status: str
    description: str
    dimensions: tuple[DimensionSpec, ...]
    name_cy: str = ""
    description_cy: str = ""

    def english(self) -> FrameworkSpec:
        """The spec without its Welsh: what a published version may never change."""
        return replace(
            self,
            name_cy="",
            description_cy="",
            dimensions=tuple(dimension.english() for dimension in self.dimensions),
        )

    @property
    def questions(self) -> list[QuestionSpec]:
        return [question for dimension in self.dimensions for question in dimension.questions]

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED

    def content(self) -> tuple[Any, ...]:
        """Everything but the status: what a draft's promotion must leave alone."""
        return (
            self.slug,
            self.name,
            self.name_cy,
            self.version,
            self.description,
            self.description_cy,
            self.dimensions,
        )

    def label(self) -> str:
        return f"{self.slug} version {self.version}"
