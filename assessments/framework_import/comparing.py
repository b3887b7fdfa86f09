"""What the database holds of a framework version, as a spec, and how a file differs from it."""

from __future__ import annotations

from assessments.models import Dimension, Framework, LevelDescriptor, Question

from .spec import DimensionSpec, FrameworkSpec, QuestionSpec

# How many differences to list when a published version's file has been edited.
_MAX_DIFFERENCES = 10


def spec_from_database(framework: Framework) -> FrameworkSpec:
    descriptors: dict[int, list[str]] = {}
    for question_id, description in (
        LevelDescriptor.objects.filter(question__framework=framework)
        .order_by("question_id", "level")
        .values_list("question_id", "description")
    ):
        descriptors.setdefault(question_id, []).append(description)

    questions: dict[int, list[QuestionSpec]] = {}
    for question in (
        Question.objects.for_framework(framework)
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
        for dimension in Dimension.objects.for_framework(framework)
    )
    return FrameworkSpec(
        slug=framework.slug,
        name=framework.name,
        version=framework.version,
        status=framework.status,
        description=framework.description,
        dimensions=dimensions,
    )


def differences(old: FrameworkSpec, new: FrameworkSpec) -> list[str]:
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
