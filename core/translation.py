"""English without six empty catalogues behind it.

Django and several of its apps ship an empty `en` catalogue next to their `en_GB` one, and
Python's gettext chains each as a fallback of the merged English translation. Every English
word the portal looks up (it writes in English, so almost none are in a catalogue) then walked
all six before coming back as itself: about 10 microseconds a lookup, a hundred or more a page.
A fallback with no messages can only hand the word back unchanged, which is what happens
without it, so dropping it changes no text. Welsh keeps English as its fallback.
"""

import gettext

from django.conf import settings
from django.utils.translation import trans_real


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
