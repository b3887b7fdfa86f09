"""Writing a checked framework version: create it, replace a draft, or refuse to change a
published one's English (saying what the file changes). Its Welsh may be corrected: a file
whose only differences are in the Welsh updates the Welsh in place, on any version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from assessments.models import Dimension, Framework, LevelDescriptor, Question

from .comparing import differences, spec_from_database, welsh_differences
from .spec import LEVELS, FrameworkImportError, FrameworkImportResult, FrameworkSpec


def apply(spec: FrameworkSpec) -> FrameworkImportResult:
    framework = (
        Framework.objects.select_for_update().filter(slug=spec.slug, version=spec.version).first()
    )
    replaces = _resolve_replaces(spec)

    if framework is None:
        now = timezone.now()
        framework = Framework.objects.create(
            slug=spec.slug,
            name_en=spec.name,
            name_cy=spec.name_cy,
            version=spec.version,
            status=spec.status,
            description_en=spec.description,
            description_cy=spec.description_cy,
            published_at=now if spec.is_published else None,
            welsh_updated_at=now,
        )
        _create_content(framework, spec, replaces)
        return FrameworkImportResult(framework=framework, created=True, unchanged=False)

    current = spec_from_database(framework)
    if current == spec:
        return FrameworkImportResult(framework=framework, created=False, unchanged=True)

    if framework.is_published and current.english() != spec.english():
        raise FrameworkImportError(
            [
                f"{spec.label()} is published and cannot change; "
                f"make version {_next_version(spec.slug)}.",
                *differences(current, spec),
            ]
        )

    welsh_changes: list[str] = []
    if current.english().content() != spec.english().content():
        _check_draft_replaceable(framework, spec)
        # Questions cascade from their dimension, and descriptors from their question.
        framework.dimensions.all().delete()
        _create_content(framework, spec, replaces)
        framework.welsh_updated_at = timezone.now()
    elif current.content() != spec.content():
        # Only the Welsh differs: correct it in place, published or not.
        welsh_changes = welsh_differences(current, spec)
        _update_welsh(framework, spec)
        framework.welsh_updated_at = timezone.now()

    framework.name_en = spec.name
    framework.name_cy = spec.name_cy
    framework.description_en = spec.description
    framework.description_cy = spec.description_cy
    if framework.status != spec.status:
        framework.status = spec.status
        framework.published_at = timezone.now() if spec.is_published else None
    framework.save(
        update_fields=[
            "name_en",
            "name_cy",
            "description_en",
            "description_cy",
            "status",
            "published_at",
            "welsh_updated_at",
        ]
    )
    return FrameworkImportResult(
        framework=framework,
        created=False,
        unchanged=False,
        welsh_changes=tuple(welsh_changes),
    )


def _update_welsh(framework: Framework, spec: FrameworkSpec) -> None:
    """Write the spec's Welsh over the version's, whose English is the spec's."""
    dimensions = {dimension.code: dimension for dimension in spec.dimensions}
    questions = {question.code: question for question in spec.questions}
    changed_dimensions = []
    for dimension in Dimension.objects.for_framework(framework):
        wanted = dimensions[dimension.code]
        if (dimension.name_cy, dimension.description_cy) != (
            wanted.name_cy,
            wanted.description_cy,
        ):
            dimension.name_cy, dimension.description_cy = wanted.name_cy, wanted.description_cy
            changed_dimensions.append(dimension)
    Dimension.objects.bulk_update(changed_dimensions, ["name_cy", "description_cy"])

    changed_questions = []
    code_by_id: dict[int, str] = {}
    for question in Question.objects.for_framework(framework):
        code_by_id[question.pk] = question.code
        asked = questions[question.code]
        if (question.statement_cy, question.guidance_cy) != (
            asked.statement_cy,
            asked.guidance_cy,
        ):
            question.statement_cy, question.guidance_cy = asked.statement_cy, asked.guidance_cy
            changed_questions.append(question)
    Question.objects.bulk_update(changed_questions, ["statement_cy", "guidance_cy"])

    changed_descriptors = []
    for descriptor in LevelDescriptor.objects.filter(question__framework=framework):
        levels_cy = questions[code_by_id[descriptor.question_id]].levels_cy
        text = levels_cy[descriptor.level - 1] if levels_cy else ""
        if descriptor.description_cy != text:
            descriptor.description_cy = text
            changed_descriptors.append(descriptor)
    LevelDescriptor.objects.bulk_update(changed_descriptors, ["description_cy"])


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
        for question in Question.objects.for_framework(previous).filter(code__in=wanted.values())
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
    rounds = list(framework.rounds.values_list("name_en", flat=True)[:3])
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
            name_en=dimension.name,
            name_cy=dimension.name_cy,
            description_en=dimension.description,
            description_cy=dimension.description_cy,
            order=order,
        )
        for order, dimension in enumerate(spec.dimensions, start=1)
    )
    dimension_by_code = _with_ids(dimensions, Dimension.objects.for_framework(framework))

    questions: list[Question] = []
    for dimension_spec in spec.dimensions:
        for order, question in enumerate(dimension_spec.questions, start=1):
            questions.append(
                Question(
                    framework=framework,
                    dimension=dimension_by_code[dimension_spec.code],
                    code=question.code,
                    statement_en=question.statement,
                    statement_cy=question.statement_cy,
                    guidance_en=question.guidance,
                    guidance_cy=question.guidance_cy,
                    order=order,
                    replaces=replaces.get(question.code),
                )
            )
    _full_clean(questions, exclude=["framework", "dimension", "replaces"])
    question_by_code = _with_ids(
        Question.objects.bulk_create(questions), Question.objects.for_framework(framework)
    )

    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            question=question_by_code[question.code],
            level=level,
            description_en=text,
            description_cy=question.levels_cy[level - 1] if question.levels_cy else "",
        )
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
