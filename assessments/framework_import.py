"""Loading a framework version (assessments/framework/*.yaml) into the database.

A file describes one version of one framework: its dimensions, their questions and five level
descriptors per question. A published version never changes once imported; a draft may be
replaced by its file until an assessment round uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import Dimension, Framework, FrameworkStatus, Level, LevelDescriptor, Question

DEFAULT_FRAMEWORK_DIR = Path(__file__).resolve().parent / "framework"

DIMENSION_CODE_RE = re.compile(r"^[A-Z]{3,4}$")
QUESTION_CODE_RE = re.compile(r"^[A-Z]{3,4}-\d{2}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVELS = tuple(Level.values)  # (1, 2, 3, 4, 5)

_FRAMEWORK_KEYS = {"slug", "name", "version", "status", "description", "dimensions"}
_FRAMEWORK_REQUIRED = ("slug", "name", "version", "status", "dimensions")
_DIMENSION_KEYS = {"code", "name", "description", "questions"}
_DIMENSION_REQUIRED = ("code", "name", "questions")
_QUESTION_KEYS = {"code", "statement", "guidance", "levels", "replaces"}
_QUESTION_REQUIRED = ("code", "statement", "levels")
# How many differences to list when a published version's file has been edited.
_MAX_DIFFERENCES = 10


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


# What a file says, in a form that can be compared with what the database holds.


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


def framework_import(*, path: Path) -> FrameworkImportResult:
    """Create, replace or confirm one framework version from a YAML file, all or nothing.

    Raises FrameworkImportError listing every problem found, in which case nothing changes.
    A version already published cannot change; a draft is replaced (or promoted to
    published) unless an assessment round uses it. Importing the same file twice changes
    nothing the second time. Lets OSError through if the file cannot be read.
    """
    spec = framework_file_read(path=path)
    with transaction.atomic():
        return _apply(spec)


def framework_file_read(*, path: Path) -> FrameworkSpec:
    """Parse and check a framework file without touching the database."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FrameworkImportError([f"The file is not UTF-8 text ({error.reason})."]) from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkImportError([f"The file is not valid YAML: {error}"]) from error
    problems: list[str] = []
    spec = _parse_framework(data, problems)
    if problems or spec is None:
        raise FrameworkImportError(problems or ["The file describes no framework."])
    return spec


def framework_paths_in_order(paths: list[Path]) -> list[Path]:
    """Sort framework files by slug and version, so a version's predecessor comes first.

    A file that cannot be read or has no usable slug or version sorts last, where its
    import reports what is wrong with it.
    """

    def key(path: Path) -> tuple[int, str, int, str]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return (1, "", 0, str(path))
        if not isinstance(data, dict):
            return (1, "", 0, str(path))
        slug, version = data.get("slug"), data.get("version")
        if not isinstance(slug, str) or not _is_int(version):
            return (1, "", 0, str(path))
        return (0, slug, version, str(path))

    return sorted(paths, key=key)


# Checking the file ---------------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    # YAML reads `version: yes` as True, which Python counts as an int.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_keys(
    where: str,
    data: dict[Any, Any],
    allowed: set[str],
    required: tuple[str, ...],
    problems: list[str],
) -> bool:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        problems.append(
            f"{where} has unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; expected only {', '.join(sorted(allowed))}."
        )
    missing = [key for key in required if key not in data]
    for key in missing:
        problems.append(f"{where} has no {key}.")
    return not missing


def _text(
    where: str,
    data: dict[str, Any],
    key: str,
    problems: list[str],
    *,
    required: bool = True,
    max_length: int | None = None,
) -> str:
    # A missing key is reported once, by _check_keys.
    if key not in data:
        return ""
    value = data[key]
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: {key} must be text, not {_describe(value)}.")
        return ""
    value = value.strip()
    if required and not value:
        problems.append(f"{where}: {key} is empty.")
    if max_length is not None and len(value) > max_length:
        problems.append(
            f"{where}: {key} is {len(value)} characters long; the limit is {max_length}."
        )
    return value


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"“{str(value).lower()}”"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"“{value}”"


def _max_length(model: type[models.Model], field: str) -> int | None:
    return model._meta.get_field(field).max_length  # type: ignore[union-attr]


def _parse_framework(data: object, problems: list[str]) -> FrameworkSpec | None:
    if not isinstance(data, dict):
        problems.append(
            "The file must be a YAML mapping with slug, name, version, status and dimensions."
        )
        return None
    where = "The framework"
    _check_keys(where, data, _FRAMEWORK_KEYS, _FRAMEWORK_REQUIRED, problems)

    slug = _text(where, data, "slug", problems, max_length=_max_length(Framework, "slug"))
    if slug and not SLUG_RE.match(slug):
        problems.append(
            f"{where}: slug “{slug}” must be lower-case letters, digits and hyphens, "
            "like council-digital-maturity."
        )
    name = _text(where, data, "name", problems, max_length=_max_length(Framework, "name"))
    description = _text(where, data, "description", problems, required=False)

    raw_version = data.get("version")
    version = 0
    if _is_int(raw_version) and 0 < raw_version <= 32767:
        version = raw_version
    elif "version" in data:
        problems.append(
            f"{where}: version must be a positive whole number, not {_describe(raw_version)}."
        )

    status = data.get("status")
    if "status" in data and status not in FrameworkStatus.values:
        problems.append(
            f"{where}: status must be {' or '.join(FrameworkStatus.values)}, "
            f"not {_describe(status)}."
        )

    raw_dimensions = data.get("dimensions")
    dimensions: list[DimensionSpec] = []
    if "dimensions" in data:
        if not isinstance(raw_dimensions, list) or not raw_dimensions:
            problems.append(f"{where}: dimensions must be a list with at least one dimension.")
        else:
            for index, raw in enumerate(raw_dimensions, start=1):
                dimension = _parse_dimension(index, raw, problems)
                if dimension is not None:
                    dimensions.append(dimension)
            _check_unique(dimensions, problems)

    if problems:
        return None
    return FrameworkSpec(
        slug=slug,
        name=name,
        version=version,
        status=str(status),
        description=description,
        dimensions=tuple(dimensions),
    )


def _parse_dimension(index: int, raw: object, problems: list[str]) -> DimensionSpec | None:
    if not isinstance(raw, dict):
        problems.append(f"Dimension {index} must be a mapping with code, name and questions.")
        return None
    found = len(problems)
    code = raw.get("code")
    valid_code = isinstance(code, str) and bool(DIMENSION_CODE_RE.match(code))
    where = f"Dimension {code}" if valid_code else f"Dimension {index}"
    if "code" in raw and not valid_code:
        problems.append(
            f"{where}: code {_describe(code)} must be 3 or 4 capital letters, like LEAD."
        )
    _check_keys(where, raw, _DIMENSION_KEYS, _DIMENSION_REQUIRED, problems)
    name = _text(where, raw, "name", problems, max_length=_max_length(Dimension, "name"))
    description = _text(where, raw, "description", problems, required=False)

    questions: list[QuestionSpec] = []
    raw_questions = raw.get("questions")
    if "questions" in raw:
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.append(f"{where}: questions must be a list with at least one question.")
        else:
            for number, raw_question in enumerate(raw_questions, start=1):
                question = _parse_question(
                    where, code if valid_code else None, number, raw_question, problems
                )
                if question is not None:
                    questions.append(question)
    if len(problems) > found:
        return None
    return DimensionSpec(
        code=str(code), name=name, description=description, questions=tuple(questions)
    )


def _parse_question(
    dimension_where: str,
    dimension_code: str | None,
    number: int,
    raw: object,
    problems: list[str],
) -> QuestionSpec | None:
    example = f"{dimension_code or 'LEAD'}-01"
    if not isinstance(raw, dict):
        problems.append(
            f"{dimension_where}, question {number} must be a mapping with code, statement "
            "and levels."
        )
        return None
    found = len(problems)
    code = raw.get("code")
    if isinstance(code, str) and code.strip():
        where = f"Question {code}"
        if not QUESTION_CODE_RE.match(code):
            problems.append(
                f"{where}: the code must be its dimension's code, a hyphen and two digits, "
                f"like {example}."
            )
        elif dimension_code and code.split("-")[0] != dimension_code:
            problems.append(
                f"{where}: the code must start with its dimension's code, like {example}."
            )
    else:
        where = f"{dimension_where}, question {number}"
        if "code" in raw:
            problems.append(f"{where}: code must be text like {example}, not {_describe(code)}.")
    _check_keys(where, raw, _QUESTION_KEYS, _QUESTION_REQUIRED, problems)
    statement = _text(
        where, raw, "statement", problems, max_length=_max_length(Question, "statement")
    )
    guidance = _text(where, raw, "guidance", problems, required=False)

    replaces = ""
    if raw.get("replaces") is not None:
        value = raw["replaces"]
        if isinstance(value, str) and QUESTION_CODE_RE.match(value):
            replaces = value
        else:
            problems.append(
                f"{where}: replaces must name a question code like {example}, "
                f"not {_describe(value)}."
            )

    levels: list[str] = []
    if "levels" in raw:
        levels = _parse_levels(where, raw["levels"], problems)
    if len(problems) > found:
        return None
    return QuestionSpec(
        code=str(code),
        statement=statement,
        guidance=guidance,
        levels=tuple(levels),
        replaces=replaces,
    )


def _parse_levels(where: str, raw: object, problems: list[str]) -> list[str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: levels must be a mapping of 1, 2, 3, 4 and 5 to descriptions.")
        return []
    keys = list(raw)
    if not all(_is_int(key) for key in keys) or sorted(keys) != list(LEVELS):
        shown = ", ".join(str(key) for key in keys) or "none"
        problems.append(f"{where}: levels must be exactly 1, 2, 3, 4 and 5; the file has {shown}.")
        return []
    levels: list[str] = []
    for level in LEVELS:
        value = raw[level]
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(f"{where}: level {level} is empty.")
        elif not isinstance(value, str):
            problems.append(f"{where}: level {level} must be text, not {_describe(value)}.")
        levels.append(value.strip() if isinstance(value, str) else "")
    written = [text for text in levels if text]
    if len(set(written)) != len(written):
        problems.append(f"{where}: two levels have the same description.")
    return levels


def _check_unique(dimensions: list[DimensionSpec], problems: list[str]) -> None:
    seen_dimensions: set[str] = set()
    seen_questions: dict[str, str] = {}
    for dimension in dimensions:
        if dimension.code in seen_dimensions:
            problems.append(f"Dimension {dimension.code} appears more than once.")
        seen_dimensions.add(dimension.code)
        for question in dimension.questions:
            if question.code in seen_questions:
                problems.append(f"Question {question.code} appears more than once.")
            seen_questions[question.code] = dimension.code


# Writing -------------------------------------------------------------------------------


def _apply(spec: FrameworkSpec) -> FrameworkImportResult:
    framework = (
        Framework.objects.select_for_update().filter(slug=spec.slug, version=spec.version).first()
    )
    replaces = _resolve_replaces(spec)

    if framework is None:
        framework = Framework.objects.create(
            slug=spec.slug,
            name=spec.name,
            version=spec.version,
            status=spec.status,
            description=spec.description,
            published_at=timezone.now() if spec.is_published else None,
        )
        _create_content(framework, spec, replaces)
        return FrameworkImportResult(framework=framework, created=True, unchanged=False)

    current = _spec_from_database(framework)
    if current == spec:
        return FrameworkImportResult(framework=framework, created=False, unchanged=True)

    if framework.is_published:
        raise FrameworkImportError(
            [
                f"{spec.label()} is published and cannot change; "
                f"make version {_next_version(spec.slug)}.",
                *_differences(current, spec),
            ]
        )

    if current.content() != spec.content():
        _check_draft_replaceable(framework, spec)
        # Questions cascade from their dimension, and descriptors from their question.
        framework.dimensions.all().delete()
        _create_content(framework, spec, replaces)

    framework.name = spec.name
    framework.description = spec.description
    framework.status = spec.status
    framework.published_at = timezone.now() if spec.is_published else None
    framework.save(update_fields=["name", "description", "status", "published_at"])
    return FrameworkImportResult(framework=framework, created=False, unchanged=False)


def _next_version(slug: str) -> int:
    latest = Framework.objects.filter(slug=slug).aggregate(latest=models.Max("version"))
    return int(latest["latest"] or 0) + 1


def _resolve_replaces(spec: FrameworkSpec) -> dict[str, Question]:
    """Map each `replaces` code to the question of that code in the previous version."""
    wanted = {question.code: question.replaces for question in spec.questions if question.replaces}
    if not wanted:
        return {}
    previous = (
        Framework.objects.filter(slug=spec.slug, version__lt=spec.version)
        .order_by("-version")
        .first()
    )
    if previous is None:
        raise FrameworkImportError(
            [
                f"Question {code}: replaces {old}, but there is no earlier version of "
                f"{spec.slug} in the database. Import the earlier version first."
                for code, old in wanted.items()
            ]
        )
    found = {
        question.code: question
        for question in Question.objects.filter(framework=previous, code__in=wanted.values())
    }
    problems = [
        f"Question {code}: replaces {old}, but {previous.slug} version {previous.version} "
        f"has no question {old}."
        for code, old in wanted.items()
        if old not in found
    ]
    if problems:
        raise FrameworkImportError(problems)
    return {code: found[old] for code, old in wanted.items()}


def _check_draft_replaceable(framework: Framework, spec: FrameworkSpec) -> None:
    problems: list[str] = []
    rounds = list(framework.rounds.values_list("name", flat=True)[:3])
    if rounds:
        problems.append(
            f"{spec.label()} is a draft used by the assessment round "
            f"{', '.join(rounds)}, so its questions cannot change; "
            f"make version {_next_version(spec.slug)}."
        )
    later = (
        Question.objects.filter(replaces__framework=framework)
        .exclude(framework=framework)
        .order_by()
        .values_list("framework__version", flat=True)
        .distinct()
    )
    for version in sorted(set(later)):
        problems.append(
            f"{spec.label()} is a draft whose questions version {version} replaces, "
            "so its questions cannot change."
        )
    if problems:
        raise FrameworkImportError(problems)


def _create_content(
    framework: Framework, spec: FrameworkSpec, replaces: dict[str, Question]
) -> None:
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            framework=framework,
            code=dimension.code,
            name=dimension.name,
            description=dimension.description,
            order=order,
        )
        for order, dimension in enumerate(spec.dimensions, start=1)
    )
    dimension_by_code = _with_ids(dimensions, Dimension.objects.filter(framework=framework))

    questions: list[Question] = []
    for dimension_spec in spec.dimensions:
        for order, question in enumerate(dimension_spec.questions, start=1):
            questions.append(
                Question(
                    framework=framework,
                    dimension=dimension_by_code[dimension_spec.code],
                    code=question.code,
                    statement=question.statement,
                    guidance=question.guidance,
                    order=order,
                    replaces=replaces.get(question.code),
                )
            )
    _full_clean(questions, exclude=["framework", "dimension", "replaces"])
    question_by_code = _with_ids(
        Question.objects.bulk_create(questions), Question.objects.filter(framework=framework)
    )

    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(question=question_by_code[question.code], level=level, description=text)
        for question in spec.questions
        for level, text in zip(LEVELS, question.levels, strict=True)
    )


def _with_ids(created: list[Any], saved: models.QuerySet[Any]) -> dict[str, Any]:
    """Objects by code, with primary keys even on backends that cannot return them."""
    if all(obj.pk is not None for obj in created):
        return {obj.code: obj for obj in created}
    return {obj.code: obj for obj in saved}


def _full_clean(objects: list[Question], *, exclude: list[str]) -> None:
    """The models' own field checks, in case they are stricter than the file checks."""
    problems: list[str] = []
    for obj in objects:
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.extend(f"Question {obj.code}: {field}: {message}" for message in messages)
    if problems:
        raise FrameworkImportError(problems)


# Comparing with the database -----------------------------------------------------------


def _spec_from_database(framework: Framework) -> FrameworkSpec:
    descriptors: dict[int, list[str]] = {}
    for question_id, description in (
        LevelDescriptor.objects.filter(question__framework=framework)
        .order_by("question_id", "level")
        .values_list("question_id", "description")
    ):
        descriptors.setdefault(question_id, []).append(description)

    questions: dict[int, list[QuestionSpec]] = {}
    for question in (
        Question.objects.filter(framework=framework)
        .select_related("replaces")
        .order_by("dimension_id", "order")
    ):
        questions.setdefault(question.dimension_id, []).append(
            QuestionSpec(
                code=question.code,
                statement=question.statement,
                guidance=question.guidance,
                levels=tuple(descriptors.get(question.pk, [])),
                replaces=question.replaces.code if question.replaces else "",
            )
        )

    dimensions = tuple(
        DimensionSpec(
            code=dimension.code,
            name=dimension.name,
            description=dimension.description,
            questions=tuple(questions.get(dimension.pk, [])),
        )
        for dimension in Dimension.objects.filter(framework=framework).order_by("order")
    )
    return FrameworkSpec(
        slug=framework.slug,
        name=framework.name,
        version=framework.version,
        status=framework.status,
        description=framework.description,
        dimensions=dimensions,
    )


def _differences(old: FrameworkSpec, new: FrameworkSpec) -> list[str]:
    """What a file changes in a version, in words, to help whoever edited it."""
    found: list[str] = []
    if old.status != new.status:
        found.append(f"The file changes the status from {old.status} to {new.status}.")
    for field in ("name", "description"):
        if getattr(old, field) != getattr(new, field):
            found.append(f"The file changes the framework's {field}.")

    old_dimensions = {dimension.code: dimension for dimension in old.dimensions}
    new_dimensions = {dimension.code: dimension for dimension in new.dimensions}
    if list(old_dimensions) != list(new_dimensions):
        found.append(
            f"The file's dimensions are {', '.join(new_dimensions)}; the published version "
            f"has {', '.join(old_dimensions)}."
        )
    for code, dimension in new_dimensions.items():
        before = old_dimensions.get(code)
        if before is None:
            continue
        for field in ("name", "description"):
            if getattr(before, field) != getattr(dimension, field):
                found.append(f"Dimension {code}: the file changes its {field}.")
        old_questions = {question.code: question for question in before.questions}
        new_questions = {question.code: question for question in dimension.questions}
        if list(old_questions) != list(new_questions):
            found.append(
                f"Dimension {code}: the file's questions are {', '.join(new_questions)}; "
                f"the published version has {', '.join(old_questions)}."
            )
        for question_code, question in new_questions.items():
            previous = old_questions.get(question_code)
            if previous is None:
                continue
            for field in ("statement", "guidance", "replaces"):
                if getattr(previous, field) != getattr(question, field):
                    found.append(f"Question {question_code}: the file changes its {field}.")
            for level, (was, now) in enumerate(
                zip(previous.levels, question.levels, strict=False), start=1
            ):
                if was != now:
                    found.append(f"Question {question_code}: the file changes level {level}.")
    if len(found) > _MAX_DIFFERENCES:
        extra = len(found) - _MAX_DIFFERENCES
        found = [
            *found[:_MAX_DIFFERENCES],
            f"…and {extra} more difference{'s' if extra > 1 else ''}.",
        ]
    return found
