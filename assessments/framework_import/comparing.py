"""What the database holds of a framework version, as a spec, and how a file differs from it."""

from __future__ import annotations

from assessments.models import Dimension, Framework, LevelDescriptor, Question

from .spec import DimensionSpec, FrameworkSpec, QuestionSpec

# How many differences to list when a published version's file has been edited.
_MAX_DIFFERENCES = 10


def spec_from_database(framework: Framework) -> FrameworkSpec:
    descriptors: dict[int, list[str]] = {}
    descriptors_cy: dict[int, list[str]] = {}
    for question_id, description, description_cy in (
        LevelDescriptor.objects.filter(question__framework=framework)
        .order_by("question_id", "level")
        .values_list("question_id", "description_en", "description_cy")
    ):
        descriptors.setdefault(question_id, []).append(description)
        descriptors_cy.setdefault(question_id, []).append(description_cy)

    questions: dict[int, list[QuestionSpec]] = {}
    for question in (
        Question.objects.for_framework(framework)
        .select_related("replaces")
        .order_by("dimension_id", "order")
    ):
        questions.setdefault(question.dimension_id, []).append(
            QuestionSpec(
                code=question.code,
                statement=question.statement_en,
                guidance=question.guidance_en,
                levels=tuple(descriptors.get(question.pk, [])),
                replaces=question.replaces.code if question.replaces else "",
                statement_cy=question.statement_cy,
                guidance_cy=question.guidance_cy,
                levels_cy=_levels_cy(descriptors_cy.get(question.pk, [])),
            )
        )

    dimensions = tuple(
        DimensionSpec(
            code=dimension.code,
            name=dimension.name_en,
            description=dimension.description_en,
            questions=tuple(questions.get(dimension.pk, [])),
            name_cy=dimension.name_cy,
            description_cy=dimension.description_cy,
        )
        for dimension in Dimension.objects.for_framework(framework)
    )
    return FrameworkSpec(
        slug=framework.slug,
        name=framework.name_en,
        version=framework.version,
        status=framework.status,
        description=framework.description_en,
        dimensions=dimensions,
        name_cy=framework.name_cy,
        description_cy=framework.description_cy,
    )


def _levels_cy(stored: list[str]) -> tuple[str, ...]:
    # Rows imported before there was Welsh have none, as a file without levels_cy.
    return tuple(stored) if any(stored) else ()


def welsh_differences(old: FrameworkSpec, new: FrameworkSpec) -> list[str]:
    """Where the Welsh differs between two specs of the same English, e.g. "Question LEAD-01:
    statement_cy" or "Question LEAD-01: level 3 in levels_cy"."""
    found = [
        f"The framework: {field}"
        for field in ("name_cy", "description_cy")
        if getattr(old, field) != getattr(new, field)
    ]
    for before, dimension in zip(old.dimensions, new.dimensions, strict=True):
        found += [
            f"Dimension {dimension.code}: {field}"
            for field in ("name_cy", "description_cy")
            if getattr(before, field) != getattr(dimension, field)
        ]
        for previous, question in zip(before.questions, dimension.questions, strict=True):
            found += [
                f"Question {question.code}: {field}"
                for field in ("statement_cy", "guidance_cy")
                if getattr(previous, field) != getattr(question, field)
            ]
            was = previous.levels_cy or ("",) * len(question.levels)
            now = question.levels_cy or ("",) * len(question.levels)
            found += [
                f"Question {question.code}: level {level} in levels_cy"
                for level, (a, b) in enumerate(zip(was, now, strict=True), start=1)
                if a != b
            ]
    return found


def differences(old: FrameworkSpec, new: FrameworkSpec) -> list[str]:
    """What a file changes in a version's English (or status), in words, to help whoever
    edited it."""
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
