from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.conf import settings

from core.forms import ErrorLinksMixin


class TokenForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_name"

    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What it is for, so you can tell your tokens apart, like "
        "\u201cPower BI board report\u201d.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Enter a name of 80 characters or fewer",
        },
    )
    days = forms.TypedChoiceField(
        label="How long should it work?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how long the token should work",
            "invalid_choice": "Select how long the token should work",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        assert isinstance(days, forms.TypedChoiceField)
        days.choices = [(str(n), f"{n} days") for n in settings.API_TOKEN_DAYS]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("days", legend_size=Size.SMALL),
            Submit("submit", "Create token"),
        )
