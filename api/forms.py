from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorLinksMixin


class TokenForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_name"

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_(
            "What it is for, so you can tell your tokens apart, like “Power BI board report”."
        ),
        error_messages={
            "required": _("Enter a name for the token"),
            "max_length": _("Enter a name of 80 characters or fewer"),
        },
    )
    days = forms.TypedChoiceField(
        label=_("How long should it work?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how long the token should work"),
            "invalid_choice": _("Select how long the token should work"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        assert isinstance(days, forms.TypedChoiceField)
        days.choices = [
            (str(n), ngettext("%(days)s day", "%(days)s days", n) % {"days": n})
            for n in settings.API_TOKEN_DAYS
        ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("days", legend_size=Size.SMALL),
            Submit("submit", gettext("Create token")),
        )
