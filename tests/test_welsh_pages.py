"""Every page of every persona in Welsh (issue 19).

Each persona opens every HTML page it can reach (the fuzz test's world and routes) with Welsh
chosen: the page says lang="cy" and Content-Language: cy, and none of the portal's own English
sentences that have a Welsh translation is left on it. That catches words translated once, when
a module was loaded (gettext where gettext_lazy was needed), and words kept across requests in
the language of whoever came first.
"""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
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


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_page_of_every_persona_is_in_welsh(personas, world):  # noqa: F811
    sentences = english_sentences()
    assert len(sentences) > 100
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
    assert pages > 80
    assert not failures, f"{len(failures)} of {pages} pages:\n" + "\n".join(failures)
