"""Taking a person's name and email address out of stored JSON and text, for erasure."""

from collections.abc import Iterable
from typing import Any


def scrub(value: Any, found: Iterable[str], replacement: str) -> Any:
    """`value` (text, or JSON made of lists, dicts and text) with every one of `found` replaced,
    wherever it is. Empty strings in `found` are ignored."""
    needles = [needle for needle in found if needle]
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, replacement)
        return value
    if isinstance(value, list):
        return [scrub(item, needles, replacement) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, needles, replacement) for key, item in value.items()}
    return value


def scrubbed(
    instance: Any, fields: Iterable[str], found: Iterable[str], replacement: str
) -> dict[str, Any]:
    """The fields of `instance` that `scrub` changes, with their new values ({} for none), ready
    for `.update(**changed)`."""
    needles = list(found)
    changed = {}
    for field in fields:
        before = getattr(instance, field)
        after = scrub(before, needles, replacement)
        if after != before:
            changed[field] = after
    return changed
