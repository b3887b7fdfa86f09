"""Words in the PDFs' page margins. WeasyPrint draws them from CSS `content` values
("Page " counter(page) " of " counter(pages)), so a translated sentence is turned into one:
its text quoted, its placeholders CSS (a counter, a named string), in the translation's order.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # Nothing may end the <style> element the value sits in.
    escaped = escaped.replace("<", "\\3c ")
    return f'"{escaped}"'


def css_content(sentence: str, **parts: str) -> SafeString:
    """`sentence` (translated, with %(name)s placeholders) as a CSS content value: each
    placeholder is replaced by the CSS in `parts`, the rest is quoted text."""
    pieces = _PLACEHOLDER.split(sentence)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(parts[piece])
        elif piece:
            out.append(css_string(piece))
    return mark_safe(" ".join(out))  # noqa: S308 - built from quoted strings and our own CSS


def page_of_pages() -> SafeString:
    """ "Page 2 of 5", for the footer of every page."""
    return css_content(
        gettext("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)"
    )
