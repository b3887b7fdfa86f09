"""Texts in both languages, and English without six empty catalogues behind it.

Words the portal holds as data (the framework, round names, council names) have an English
column, `<field>_en`, and a Welsh one, `<field>_cy`, blank where there is no Welsh yet. The
attribute pages read, `<field>`, is `in_active_language("<field>")`: the Welsh when Welsh is
active and there is some, else the English. Setting it sets the English. A query that reads
the text by name reads both columns and picks with `in_language`.

The fallbacks:

Django and several of its apps ship an empty `en` catalogue next to their `en_GB` one, and
Python's gettext chains each as a fallback of the merged English translation. Every English
word the portal looks up (it writes in English, so almost none are in a catalogue) then walked
all six before coming back as itself: about 10 microseconds a lookup, a hundred or more a page.
A fallback with no messages can only hand the word back unchanged, which is what happens
without it, so dropping it changes no text. Welsh keeps English as its fallback.
"""

import gettext
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import trans_real


def in_language(english: str, welsh: str | None) -> str:
    """The Welsh when Welsh is the active language and there is some, else the English."""
    if welsh and translation.get_language() == "cy":
        return welsh
    return english


def in_active_language(field: str) -> property:
    """An attribute `field` that reads `field_en` or `field_cy` (by the active language) and
    writes `field_en`."""

    def read(obj: models.Model) -> str:
        return in_language(getattr(obj, f"{field}_en"), getattr(obj, f"{field}_cy"))

    def write(obj: models.Model, value: str) -> None:
        setattr(obj, f"{field}_en", value)

    return property(read, write, doc=f"The {field} in the active language.")


@dataclass(frozen=True)
class Bilingual:
    """A text in both languages that words itself in the active one when made a string, for
    something worded later, in each language in turn (a peer group's name, say)."""

    english: str
    welsh: str = ""

    def __str__(self) -> str:
        return in_language(self.english, self.welsh)


def drop_empty_fallbacks() -> None:
    """Take every fallback with no messages out of each language's translation chain."""
    for code, _name in settings.LANGUAGES:
        translation: gettext.NullTranslations | None = trans_real.translation(code)
        while translation is not None:
            # gettext keeps the chain in _fallback; add_fallback can only append to it.
            following = translation._fallback  # type: ignore[attr-defined]
            while following is not None and _empty(following):
                following = following._fallback
            translation._fallback = following  # type: ignore[attr-defined]
            translation = following


def _empty(translation: gettext.NullTranslations) -> bool:
    """A plain gettext catalogue holding nothing but its header (the "" entry)."""
    if isinstance(translation, trans_real.DjangoTranslation):
        return False
    catalogue = getattr(translation, "_catalog", None)
    return isinstance(catalogue, dict) and set(catalogue) <= {""}
