"""Loading a framework version (assessments/framework/*.yaml) into the database.

A file describes one version of one framework: its dimensions, their questions and five level
descriptors per question, each text in English and in Welsh (`name` and `name_cy`, and so on).
A published version's English never changes once imported, but its Welsh may be corrected by
importing the file again; a draft may be replaced by its file until an assessment round uses it.

`parsing` reads and checks a file (no database), `comparing` turns a stored version back into
a spec and words the differences, and `writing` applies a spec, all or nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from .parsing import is_int, parse_framework
from .spec import (
    DIMENSION_CODE_RE,
    LEVELS,
    QUESTION_CODE_RE,
    SLUG_RE,
    DimensionSpec,
    FrameworkImportError,
    FrameworkImportResult,
    FrameworkSpec,
    QuestionSpec,
)
from .writing import apply

__all__ = [
    "DEFAULT_FRAMEWORK_DIR",
    "DIMENSION_CODE_RE",
    "LEVELS",
    "QUESTION_CODE_RE",
    "SLUG_RE",
    "DimensionSpec",
    "FrameworkImportError",
    "FrameworkImportResult",
    "FrameworkSpec",
    "QuestionSpec",
    "framework_file_read",
    "framework_import",
    "framework_paths_in_order",
]

DEFAULT_FRAMEWORK_DIR = Path(__file__).resolve().parent.parent / "framework"


def framework_import(*, path: Path) -> FrameworkImportResult:
    """Create, replace or confirm one framework version from a YAML file, all or nothing.

    Raises FrameworkImportError listing every problem found, in which case nothing changes.
    A version already published cannot change its English; a draft is replaced (or promoted to
    published) unless an assessment round uses it. A file that differs only in its Welsh
    corrects the Welsh in place, on any version (`welsh_changes` in the result says where).
    Importing the same file twice changes nothing the second time. Lets OSError through if
    the file cannot be read.
    """
    spec = framework_file_read(path=path)
    with transaction.atomic():
        return apply(spec)


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
    spec = parse_framework(data, problems)
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
        if not isinstance(slug, str) or not is_int(version):
            return (1, "", 0, str(path))
        return (0, slug, version, str(path))

    return sorted(paths, key=key)
