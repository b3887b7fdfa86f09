"""Parts of a page drawn once per process and language, because they are the same on every
page for every reader: the footer, the time-out dialog, the links in the head.

    {% load same_for_everyone %}
    {% same_for_everyone "footer" %}
    <footer>… {% url 'core:privacy' %} …</footer>
    {% endsame_for_everyone %}

Only words, settings and addresses without arguments may go inside: nothing about the person,
the request or the page's own data, which would be shown to the next reader too. The kept HTML
is keyed on the template, the part's name, the language and the site's address prefix
(core.fragments.kept), and on any values named after the part's name, for settings it shows:

    {% same_for_everyone "time-out warning" SESSION_IDLE_SECONDS %}…{% endsame_for_everyone %}
 The base template's parts saved about a quarter of its drawing time on
every page (issue 18).
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.urls import get_script_prefix

from core.fragments import kept
from core.templatetags.kept import PartNode, part_tag

register = template.Library()


class SameForEveryoneNode(PartNode):
    values: list[FilterExpression]

    def render(self, context: Any) -> str:
        shown = tuple(value.resolve(context) for value in self.values)
        return kept(
            ("same for everyone", self.where, self.name, shown, get_script_prefix()),
            lambda: self.nodelist.render(context),
        )


@register.tag
def same_for_everyone(parser: Parser, token: Token) -> SameForEveryoneNode:
    where, name, bits, nodelist = part_tag(
        parser,
        token,
        "same_for_everyone takes the part's name, in quotes, then any values it shows",
    )
    return SameForEveryoneNode(where, name, [parser.compile_filter(bit) for bit in bits], nodelist)
