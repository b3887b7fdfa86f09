"""A part of a page drawn from the values it names and nothing else, and kept (in the process,
per language) for those values: the same values are the same HTML for every reader.

    {% load kept %}
    {% kept "scores by barrier" rows=dashboard.dimensions group=group.name %}
    … only rows and group (and words, settings, addresses) …
    {% endkept %}

The part sees only the values named in the tag, so it cannot show anything its key leaves
out: a name not passed is empty. The values must be plain (core.fragments.plain: text,
numbers, dates, lists, dicts and dataclasses of them; never a model instance). A dashboard's
tables are a third of its drawing time, and the same group and round show every reader of a
council the same figures (issue 18).
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.urls import get_script_prefix

from core.fragments import kept as kept_html
from core.fragments import plain

register = template.Library()


class PartNode(template.Node):
    """A named part of a template ({% kept %}, {% same_for_everyone %}): where it is, its name,
    the values named in its tag, and what it encloses."""

    def __init__(self, where: str, name: str, values: Any, nodelist: template.NodeList):
        self.where = where
        self.name = name
        self.values = values
        self.nodelist = nodelist


def part_tag(
    parser: Parser, token: Token, usage: str
) -> tuple[str, str, list[str], template.NodeList]:
    """A part's tag read: the template it is in, its name (in quotes, or TemplateSyntaxError
    with `usage`), the rest of the tag's bits, and what it encloses, up to its end tag."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(usage)
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    where = parser.origin.name if parser.origin else ""
    return where, bits[1][1:-1], bits[2:], nodelist


class KeptNode(PartNode):
    values: dict[str, FilterExpression]

    def render(self, context: Any) -> str:
        values = {name: value.resolve(context) for name, value in self.values.items()}
        key = ("kept", self.where, self.name, plain(values), get_script_prefix())
        return kept_html(
            key,
            # As {% include … only %} does: the template's settings, none of the page's values.
            lambda: self.nodelist.render(context.new(values)),
        )


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    where, name, bits, nodelist = part_tag(
        parser,
        token,
        "kept takes the part's name, in quotes, then the values it shows as name=value",
    )
    values: dict[str, FilterExpression] = {}
    for bit in bits:
        value_name, equals, expression = bit.partition("=")
        if not equals or not value_name.isidentifier():
            raise template.TemplateSyntaxError(f"kept: {bit!r} is not name=value")
        values[value_name] = parser.compile_filter(expression)
    return KeptNode(where, name, values, nodelist)
