"""HTML that is the same for everyone who sees the same values, drawn once per process.

Drawing GOV.UK radios with crispy-forms-gds is most of the time of the pages that show them
(a barrier page's questions, a dashboard's comparison picker), and the same words showing the
same values are the same HTML for every reader. What is drawn is kept in the `fragments` cache
(the process's own memory, config.settings.base) under everything it depends on: the caller's
`parts` and the active language. So nothing can make a kept copy wrong, only unused.
"""

import dataclasses
import hashlib
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.cache import caches
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")


def kept(parts: object, draw: Callable[[], T]) -> T:
    """`draw()`, or what it gave before for the same `parts` (compared by their repr, so they
    must be plain values) in the same language. HTML, or any value that pickles: each caller
    gets its own copy."""
    key = hashlib.sha256(repr((get_language(), parts)).encode()).hexdigest()
    fragments = caches["fragments"]
    found = fragments.get(key)
    if found is None:
        found = draw()
        fragments.set(key, found)
    return found


def plain(value: object) -> object:
    """`value` as plain values whose repr says everything about it, to key kept HTML on.

    Dataclasses are taken field by field (so their properties must follow from their fields),
    lazy text in the active language. Anything else, a model instance above all (whose repr
    is only its name), is refused: TypeError.
    """
    if value is None or isinstance(value, bool | int | float | str | Decimal | date):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, dict):
        return tuple((plain(key), plain(item)) for key, item in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple((f.name, plain(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    raise TypeError(f"{type(value).__qualname__} is not a plain value to keep HTML under")


def kept_fields(
    form: forms.Form, names: Sequence[str], parts: object, draw: Callable[[], str]
) -> str:
    """`draw()` of these fields of a form, kept under `parts` (`kept`) when the form is unbound.
    A form sent back (with its errors, or what was just typed) is always drawn afresh."""
    if form.is_bound:
        return draw()
    html = kept(parts, draw)
    # As crispy notes each field it draws, so it does not draw them again after the layout.
    form.rendered_fields.update(names)  # type: ignore[attr-defined]
    return html


def shown(form: forms.Form, names: list[str]) -> tuple[Hashable, ...]:
    """What an unbound form shows in these fields: labels, hints, choices and values."""
    return tuple(
        (
            name,
            str(field.label),
            str(field.help_text),
            tuple((value, str(label)) for value, label in getattr(field, "choices", ())),
            form[name].value(),
        )
        for name in names
        if (field := form.fields.get(name)) is not None
    )


class KeptLayout(LayoutObject):
    """Layout objects drawn once per process for what the form shows (`kept`).

    For forms whose HTML depends only on their fields: an unbound form, whose every word is in
    its fields' labels, hints and choices or is the same for every reader in a language (a
    button). A bound form (sent back with errors, or what was typed) is always drawn afresh.
    """

    def __init__(self, *fields: Any) -> None:
        self.fields = list(fields)

    def render(
        self, form: forms.Form, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> SafeString:
        def draw() -> str:
            return self.get_rendered_fields(form, context, template_pack, **kwargs)

        names = [pointer.name for pointer in self.get_field_names()]
        parts = (type(form).__qualname__, shown(form, names))
        return mark_safe(kept_fields(form, names, parts, draw))
