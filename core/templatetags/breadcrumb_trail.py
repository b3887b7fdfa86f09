"""The GOV.UK breadcrumbs, one way: Home, then the pages above this one.

crispy-forms-gds has a `breadcrumbs` tag too, but it shows its last item as the current
page, and these trails hold only the pages above it.

    {% url "councils:directory" as councils %}{% breadcrumb_trail "Councils" councils %}

Arguments come in pairs, a label and the address it links to, top down.
"""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumb_trail(*trail: Any) -> dict[str, Any]:
    if len(trail) % 2:
        raise template.TemplateSyntaxError(
            "breadcrumb_trail takes pairs of a label and an address."
        )
    return {"trail": list(zip(trail[::2], trail[1::2], strict=True))}
