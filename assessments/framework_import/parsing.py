"""Reading and checking a framework file, without touching the database: every problem in
the file is found and listed, in words for whoever edits it.

Every text is in English and Welsh: beside `name` is `name_cy`, and so on (`levels_cy` beside
`levels`). The Welsh is required wherever the English is given, and only there."""

from __future__ import annotations

from typing import Any, TypeGuard

from django.db import models

from assessments.models import Dimension, Framework, FrameworkStatus, Question

from .spec import (
    DIMENSION_CODE_RE,
    LEVELS,
    QUESTION_CODE_RE,
    SLUG_RE,
    DimensionSpec,
    FrameworkSpec,
    QuestionSpec,
)

_FRAMEWORK_KEYS = {
    "slug",
    "name",
    "name_cy",
    "version",
    "status",
    "description",
    "description_cy",
    "dimensions",
}
_FRAMEWORK_REQUIRED = ("slug", "name", "version", "status", "dimensions")
_DIMENSION_KEYS = {"code", "name", "name_cy", "description", "description_cy", "questions"}
_DIMENSION_REQUIRED = ("code", "name", "questions")
_QUESTION_KEYS = {
    "code",
    "statement",
    "statement_cy",
    "guidance",
    "guidance_cy",
    "levels",
    "levels_cy",
    "replaces",
}
_QUESTION_REQUIRED = ("code", "statement", "levels")


def is_int(value: object) -> TypeGuard[int]:
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


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _welsh(
    where: str,
    data: dict[str, Any],
    key: str,
    problems: list[str],
    *,
    english_required: bool = True,
    max_length: int | None = None,
) -> str:
    """The Welsh beside the English text `key`: required wherever the English is given."""
    welsh_key = f"{key}_cy"
    if _is_blank(data.get(key)):
        # A required English text that is missing or empty is reported as such already.
        if not english_required and welsh_key in data and not _is_blank(data[welsh_key]):
            problems.append(
                f"{where}: {welsh_key} is given but {key} is not; the Welsh goes beside "
                "the English."
            )
        return ""
    if welsh_key not in data:
        problems.append(f"{where}: {welsh_key} is missing (the Welsh for {key}).")
        return ""
    if data[welsh_key] is None:
        problems.append(f"{where}: {welsh_key} is empty.")
        return ""
    return _text(where, data, welsh_key, problems, max_length=max_length)


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


def parse_framework(data: object, problems: list[str]) -> FrameworkSpec | None:
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
    name = _text(where, data, "name", problems, max_length=_max_length(Framework, "name_en"))
    name_cy = _welsh(where, data, "name", problems, max_length=_max_length(Framework, "name_cy"))
    description = _text(where, data, "description", problems, required=False)
    description_cy = _welsh(where, data, "description", problems, english_required=False)

    raw_version = data.get("version")
    version = 0
    if is_int(raw_version) and 0 < raw_version <= 32767:
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
        name_cy=name_cy,
        description_cy=description_cy,
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
    name = _text(where, raw, "name", problems, max_length=_max_length(Dimension, "name_en"))
    name_cy = _welsh(where, raw, "name", problems, max_length=_max_length(Dimension, "name_cy"))
    description = _text(where, raw, "description", problems, required=False)
    description_cy = _welsh(where, raw, "description", problems, english_required=False)

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
        code=str(code),
        name=name,
        description=description,
        questions=tuple(questions),
        name_cy=name_cy,
        description_cy=description_cy,
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
        where, raw, "statement", problems, max_length=_max_length(Question, "statement_en")
    )
    statement_cy = _welsh(
        where, raw, "statement", problems, max_length=_max_length(Question, "statement_cy")
    )
    guidance = _text(where, raw, "guidance", problems, required=False)
    guidance_cy = _welsh(where, raw, "guidance", problems, english_required=False)

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
    levels_cy: list[str] = []
    if "levels" in raw:
        levels = _parse_levels(where, raw["levels"], problems)
        if "levels_cy" not in raw:
            problems.append(f"{where}: levels_cy is missing (the Welsh for levels).")
        else:
            levels_cy = _parse_levels(where, raw["levels_cy"], problems, field="levels_cy")
    if len(problems) > found:
        return None
    return QuestionSpec(
        code=str(code),
        statement=statement,
        guidance=guidance,
        levels=tuple(levels),
        replaces=replaces,
        statement_cy=statement_cy,
        guidance_cy=guidance_cy,
        levels_cy=tuple(levels_cy),
    )


def _parse_levels(where: str, raw: object, problems: list[str], field: str = "levels") -> list[str]:
    # "level 3 is empty" for the English; "level 3 in levels_cy is empty" for the Welsh.
    of = "" if field == "levels" else f" in {field}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: {field} must be a mapping of 1, 2, 3, 4 and 5 to descriptions.")
        return []
    keys = list(raw)
    if not all(is_int(key) for key in keys) or sorted(keys) != list(LEVELS):
        shown = ", ".join(str(key) for key in keys) or "none"
        problems.append(f"{where}: {field} must be exactly 1, 2, 3, 4 and 5; the file has {shown}.")
        return []
    levels: list[str] = []
    for level in LEVELS:
        value = raw[level]
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(f"{where}: level {level}{of} is empty.")
        elif not isinstance(value, str):
            problems.append(f"{where}: level {level}{of} must be text, not {_describe(value)}.")
        levels.append(value.strip() if isinstance(value, str) else "")
    written = [text for text in levels if text]
    if len(set(written)) != len(written):
        problems.append(f"{where}: two levels{of} have the same description.")
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
