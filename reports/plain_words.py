"""The members' briefing's plain-language rule, in each language it is written in.

Elected members read the briefing without the statistical or framework words the full report
uses: the median is "the middle score of similar councils" ("y sgôr ganol" in Welsh), and a
dimension is a barrier ("rhwystr"). The Welsh list is the English one's twin: the same four
ideas, as Welsh writes them, matched by stem so that every mutation is caught ("canolrif",
"ganolrif", "nghanolrif", "chanolrif"; "dimensiwn", "ddimensiwn", "dimensiynau").

`jargon_in(text)` lists the words the rule refuses in `text`, in the active language (the one
the briefing is being written in); the tests apply it to every briefing, in English and in
Welsh.
"""

from __future__ import annotations

from django.utils import translation

JARGON: dict[str, tuple[str, ...]] = {
    "en": ("percentile", "median", "quartile", "dimension"),
    # canradd (percentile), canolrif (median), chwartel (quartile), dimensiwn (dimension):
    # each without its first letter, which a mutation changes.
    "cy": ("anradd", "anolrif", "chwartel", "imensiwn", "imensiyn"),
}


def jargon_in(text: str, language: str | None = None) -> list[str]:
    """The refused words found in `text` (case ignored), for `language` (by default the active
    one); English's list for a language without its own."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    words = JARGON.get(code, JARGON["en"])
    lowered = text.lower()
    return [word for word in words if word in lowered]
