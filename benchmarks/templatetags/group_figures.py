"""How pages word a group's figures: `{% load group_figures %}`.

The words themselves are in `benchmarks.figures`, shared with the files (CSV, XLSX, JSON), so a
withheld result reads the same everywhere. Each tag takes a `GroupFigures`, a heatmap `Cell`
(anything with a `reason`) or None for no results yet.
"""

from __future__ import annotations

from django import template
from django.utils.text import capfirst

from benchmarks.figures import extremes_words, withheld_plain, withheld_sentence, withheld_words
from core.formatting import span_text

register = template.Library()


def _reason(figures: object) -> str | None:
    return None if figures is None else str(getattr(figures, "reason", ""))


@register.filter
def withheld(figures: object, min_group: int) -> str:
    """`{{ figures|withheld:min_group }}`: "Fewer than 5 councils", "Withheld to protect
    individual councils" or "No results yet"."""
    return capfirst(withheld_words(_reason(figures), int(min_group)))


@register.filter
def extremes(figures: object, min_group: int) -> str:
    """`{{ figures|extremes:min_group }}`: a published group's 10th to 90th percentile, or why
    a group that small has none."""
    p10, p90 = getattr(figures, "p10", None), getattr(figures, "p90", None)
    if p10 is None or p90 is None:
        return capfirst(extremes_words(int(min_group)))
    return span_text(p10, p90)


@register.simple_tag
def withheld_group(figures: object, group_name: object, min_group: int) -> str:
    """`{% withheld_group figures group.name min_group %}`: a sentence on why the page shows
    no figures for the group."""
    return withheld_sentence(_reason(figures), str(group_name or ""), int(min_group))


@register.simple_tag
def withheld_for_members(figures: object) -> str:
    """`{% withheld_for_members figures %}`: the same in the members' briefing's words."""
    return withheld_plain(_reason(figures))
