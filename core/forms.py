"""What every GOV.UK form in the portal shares."""

from typing import Any

from django import forms


def field_anchor(bound: forms.BoundField) -> str:
    """Where an error summary entry for this field should take the person.

    crispy-forms-gds numbers radios and checkboxes id_<name>_1, _2, ...; the summary must
    link to the first of them, not to the field's auto_id, which no element has.
    """
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#id_{bound.html_name}_1"
    return f"#{bound.auto_id}"


class ErrorLinksMixin:
    """Error summary entries that take the person to the input to fix.

    Render with `{% include "includes/error_summary.html" %}`.
    """

    # Where non-field errors link to; a form sets its own.
    non_field_anchor = "#main-content"

    def error_links(self) -> list[tuple[str, str]]:
        form: Any = self
        links = [(str(error), self.non_field_anchor) for error in form.non_field_errors()]
        for bound in form:
            links.extend((str(error), self.field_anchor(bound)) for error in bound.errors)
        return links

    def field_anchor(self, bound: forms.BoundField) -> str:
        return field_anchor(bound)
