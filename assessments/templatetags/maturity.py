"""The framework's scale on pages: `{% load maturity %}`, then "out of {% top_level %}"."""

from django import template

from assessments.scoring import MAX_LEVEL

register = template.Library()


@register.simple_tag
def top_level() -> int:
    """The framework's top level (5), so no page writes the scale's size itself."""
    return MAX_LEVEL
