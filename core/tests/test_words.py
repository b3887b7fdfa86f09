"""One word for one thing (docs/content-style.md): pages, emails and reports say "barrier",
never "dimension", the code's word for it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Template code, comments and tags are not text people read.
CODE = re.compile(r"{% comment %}.*?{% endcomment %}|{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", re.S)
WORD = re.compile(r"\b[Dd]imensions?\b")


def test_no_page_email_or_report_says_dimension():
    templates = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("*/templates/**/*.html"),
        *ROOT.glob("*/templates/**/*.txt"),
    ]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        if ".venv" not in path.parts
        for match in WORD.finditer(CODE.sub(" ", path.read_text()))
    ]
    assert found == []
