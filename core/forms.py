"""What every GOV.UK form in the portal shares."""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from .formatting import lazy_format

# The date input's three boxes, with the messages for each: crispy-forms-gds's own are in
# English only.
_DATE_PARTS = (
    (_("Day"), _("Enter the day of the month"), _("Enter a valid date")),
    (_("Month"), _("Enter the month"), _("Enter a valid month")),
    (_("Year"), _("Enter the year"), _("Enter a valid year")),
)


def field_anchor(bound: forms.BoundField) -> str:
    """Where an error summary entry for this field should take the person.

    crispy-forms-gds numbers radios and checkboxes id_<name>_1, _2, ...; the summary must
    link to the first of them, not to the field's auto_id, which no element has.
    """
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#id_{bound.html_name}_1"
    if isinstance(bound.field.widget, forms.MultiWidget):
        # A GOV.UK date input: the day comes first.
        return f"#{bound.auto_id}_0"
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


def names_another_object(
    data: Mapping[str, Any], key: re.Pattern[str], on_page: Iterable[int]
) -> bool:
    """Whether a posted field names an object the page did not show: a tampered form.

    `key` captures an object's id in a field name (q12-answer, network_3). Ids are compared
    as text, so no posted number is ever converted, however many digits it has.
    """
    shown = {str(pk) for pk in on_page}
    return any((match := key.match(name)) and match.group(1) not in shown for name in data)


class DateField(DateInputField):
    """A GOV.UK date input whose impossible dates (31 2 2027) get the field's own "invalid"
    message rather than Python's "day is out of range for month"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for field, widget, (label, incomplete, invalid) in zip(
            self.fields, self.widget.widgets, _DATE_PARTS, strict=True
        ):
            field.label = label
            field.error_messages["incomplete"] = incomplete
            field.validators = [RegexValidator(r"^[0-9]+$", invalid)]
            widget.attrs["label"] = label

    def compress(self, data_list: Any) -> date | None:
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


# The date's label in lower case, in the language of whoever reads the error.
_lower_lazy = lazy(lambda text: str(text).lower(), str)


def date_field(label: str | Promise, hint: str | Promise, *, required: bool = True) -> DateField:
    """A GOV.UK date input whose every error names the date: "Enter the due date", "Enter the
    due date in full", "Enter the due date as a real date". `label` and `hint` may be lazy
    (gettext_lazy): the messages follow the language they are read in."""
    field = DateField(label=label, help_text=hint, required=required)
    field.error_messages.update(
        required=lazy_format(_("Enter the %(date)s"), date=_lower_lazy(label)),
        incomplete=lazy_format(_("Enter the %(date)s in full"), date=_lower_lazy(label)),
        invalid=lazy_format(_("Enter the %(date)s as a real date"), date=_lower_lazy(label)),
    )
    return field
