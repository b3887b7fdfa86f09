"""Every page of every persona in Welsh (issue 19).

Each persona opens every HTML page it can reach (the fuzz test's world and routes) with Welsh
chosen: the page says lang="cy" and Content-Language: cy, and none of the portal's own English
sentences that have a Welsh translation is left on it. That catches words translated once, when
a module was loaded (gettext where gettext_lazy was needed), and words kept across requests in
the language of whoever came first.

Words nobody marked for translation are not in the catalogue, so the same pages are also read
for common English words that are never Welsh ("the", "your", "with"...), once everything the
people in the test's world typed or imported (names, notes, titles: data, kept as written) is
taken out.
"""

import re
from html import unescape

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from tests.test_fuzz import PERSONAS, PROJECT_ROUTES, SIGNS_OUT, real_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# The API's interactive documentation is a developers' tool in English, as the admin site is
# Django's; neither is the portal's own wording.
NOT_OURS = {"api:openapi-view"}


def english_sentences() -> list[str]:
    """The catalogue's longer English messages that read differently in Welsh."""
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        english = " ".join(entry.msgid.split())
        if (
            entry.translated()
            and not entry.msgid_plural
            and "%" not in english
            and "<" not in english
            and "{" not in english
            and len(english) >= 24
            and " " in english
            and " ".join(entry.msgstr.split()) != english
        ):
            found.append(english)
    return found


# Common English words with no Welsh homograph.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|this|that|have|has|from|will|what|which|when|there|only|been)\b",
    re.IGNORECASE,
)


def typed_data() -> re.Pattern[str]:
    """Every text the world's people typed or imported, as written: names, titles, notes."""
    found: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                found.update(
                    " ".join(value.split())
                    for value in model._default_manager.values_list(field.attname, flat=True)
                    if isinstance(value, str) and len(value) > 2
                )
    ordered = sorted(found, key=len, reverse=True)  # the longest first: a name inside a note
    # Whole words only: a short value ("auth") must not take a bite out of a longer word.
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(text) for text in ordered) + r")(?!\w)")


def english_left(text: str, data: re.Pattern[str]) -> list[str]:
    """English words left once the typed data is out, each with a little of its context."""
    text = data.sub(" ", text)
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in ENGLISH_WORDS.finditer(text)]


def without_english_parts(html: str) -> str:
    """The page less the parts it marks as English (lang="en"), as the language switch's
    "Change the language to English" is: English on purpose, and said to be."""
    return re.sub(r'(?is)<(\w+)\b[^>]*\blang="en[^"]*"[^>]*>.*?</\1>', " ", html)


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_english_words_are_found_outside_typed_data_and_parts_marked_english():
    data = re.compile(r"(?<!\w)(?:Tom and Jerry Council)(?!\w)")
    page = (
        '<p>Cyngor: Tom and Jerry Council</p><a lang="en" href="/">Change the language</a>'
        "<p>Eich asesiad. Save your answers</p>"
    )

    found = english_left(visible_text(without_english_parts(page)), data)

    assert [re.search(ENGLISH_WORDS, words).group() for words in found] == ["your"]


def test_every_page_of_every_persona_is_in_welsh(personas, world):  # noqa: F811
    sentences = english_sentences()
    assert len(sentences) > 100
    data = typed_data()
    failures = []
    pages = 0
    for persona in PERSONAS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        if persona != "anonymous":
            client.force_login(getattr(personas, persona))
        for route in PROJECT_ROUTES:
            if route.name in SIGNS_OUT or route.name in NOT_OURS:
                continue
            for url in real_urls(route, world):
                response = client.get(url)
                if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                    "text/html"
                ):
                    continue
                pages += 1
                html = response.content.decode()
                if '<html lang="cy"' not in html or response.get("Content-Language") != "cy":
                    failures.append(f"{persona} {url}: not marked as Welsh")
                text = visible_text(html)
                left = [s for s in sentences if s in text]
                if left:
                    failures.append(f"{persona} {url}: English left: {left[:3]}")
                words = english_left(visible_text(without_english_parts(html)), data)
                if words:
                    failures.append(f"{persona} {url}: English words: {words[:3]}")
    assert pages > 80
    assert not failures, f"{len(failures)} of {pages} pages:\n" + "\n".join(failures)
