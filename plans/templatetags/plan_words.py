"""The plan pages' words that come from values: `{{ level|level_words }}` is "Level 3 (Defined)",
or "No level", in the active language."""

from django import template

from plans.reads import level_text

register = template.Library()

register.filter("level_words", level_text)
