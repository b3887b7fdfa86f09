"""Numbers on pages, written as everywhere else (`core.formatting`): `{% load numbers %}`.

`{{ overall.score|score }}` → "3.2", `{{ figures.median|figure }}` → "3.25",
`{{ figures.q1|span:figures.q3 }}` → "2.50 to 3.75", `{{ position.percentile|percent }}` → "67",
`{{ overall.change|change_size }}` → "0.3" (the sentence says up or down),
`{{ report.requested_at|when }}` → "2 December 2026 at 5:42pm".
"""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()

register.filter("score", formatting.score_text)
register.filter("figure", formatting.figure_text)
register.filter("span", formatting.span_text)
register.filter("percent", formatting.percent_text)
register.filter("change_size", formatting.change_size)
# Dates and times, GOV.UK style: "2 December 2026", "2 December 2026 at 5:42pm".
register.filter("day", formatting.date_text)
register.filter("when", formatting.datetime_text)
