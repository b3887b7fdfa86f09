"""English without the empty catalogues Django chains behind it (core.translation)."""

import polib
from django.conf import settings
from django.utils.translation import trans_real

from core.tests.test_translations import WELSH
from core.translation import drop_empty_fallbacks


def _chain(translation):
    found = []
    while translation is not None:
        found.append(translation)
        translation = translation._fallback
    return found


def _lookups(translation, messages):
    return (
        [translation.gettext(m) for m in messages],
        [translation.ngettext(m, m + "s", n) for m in messages[:50] for n in (1, 2)],
        [translation.pgettext("abbrev. month", m) for m in ("Sept.", "Jan.", "Nothing")],
    )


def test_dropping_empty_fallbacks_shortens_the_chain_and_changes_no_words(monkeypatch):
    messages = [e.msgid for e in polib.pofile(str(WELSH)) if not e.msgid_plural][:400]
    messages += ["Organization", "This field is required.", "not in any catalogue"]
    as_django_makes_them = {
        code: trans_real.DjangoTranslation(code) for code, _ in settings.LANGUAGES
    }
    # What there is to drop: Django's own empty "en" catalogues behind its "en_GB" ones.
    assert len(_chain(as_django_makes_them["en-gb"])) > 1

    # Built afresh, as the first request of a process would (the app's ready() did it once).
    monkeypatch.setattr(trans_real, "_translations", {})
    drop_empty_fallbacks()

    english = trans_real.translation("en-gb")
    welsh = trans_real.translation("cy")
    assert _chain(english) == [english]
    assert _chain(welsh) == [welsh, english]
    for code, translation in (("en-gb", english), ("cy", welsh)):
        assert _lookups(translation, messages) == _lookups(as_django_makes_them[code], messages)
    assert welsh.gettext("Your answers have been saved") != "Your answers have been saved"
