"""Wide tables scroll sideways in their own region on a narrow screen, never the page (WCAG 2.2
1.4.10, the one pattern used for every table):

    {% load scroll_region %}
    {% scroll_region "Scores by dimension" %}
    <table class="govuk-table">…</table>
    {% endscroll_region %}

The region is focusable, so keyboard users can scroll it, and labelled, so screen reader users
know what it holds.
"""

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.utils.html import format_html

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList):
        self.label = label
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        return format_html(
            '<div class="app-table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scroll_region(parser: Parser, token: Token) -> ScrollRegionNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scroll_region takes one argument: the region's label")
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(parser.compile_filter(bits[1]), nodelist)
