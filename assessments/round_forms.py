"""Staff's forms for rounds: the round itself, and confirming a change of its status."""

from collections.abc import Sequence
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorLinksMixin, date_field

from .models import AssessmentRound, Framework


class RoundForm(ErrorLinksMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("For example, 2027 to 2028"),
        max_length=60,
        error_messages={"required": _("Enter a name for the round")},
    )
    # Welsh councils see the round by this name (the Welsh Language Standards).
    name_cy = forms.CharField(
        label=_("Name in Welsh"),
        help_text=_("For example, 2027 i 2028"),
        max_length=60,
        error_messages={"required": _("Enter the round's name in Welsh")},
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.published().order_by("-version"),
        empty_label=None,
        error_messages={"invalid_choice": _("Select a framework from the list")},
    )
    opens_on = date_field(
        _("Opening date"), _("The round opens at the start of this day. For example, 1 4 2027")
    )
    closes_on = date_field(
        _("Closing date"), _("The last day councils can answer. For example, 31 3 2028")
    )

    def __init__(self, *args: Any, round: AssessmentRound | None = None, **kwargs: Any) -> None:
        if round is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": round.name_en,
                    "name_cy": round.name_cy,
                    "framework": round.framework_id,
                    "opens_on": round.opens_on,
                    "closes_on": round.closes_on,
                },
            )
        super().__init__(*args, **kwargs)
        self.round = round
        fields: list[Any] = [
            Field.text("name", field_width=Fluid.ONE_THIRD),
            Field.text("name_cy", field_width=Fluid.ONE_THIRD),
        ]
        if round is None or round.status == "upcoming":
            fields.append(Field.select("framework"))
        else:
            del self.fields["framework"]
        fields += [
            Field("opens_on", legend_size=Size.SMALL),
            Field("closes_on", legend_size=Size.SMALL),
        ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*fields, Submit("submit", gettext("Save the round")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "closes_on", gettext("The closing date must be on or after the opening date")
            )
        others = AssessmentRound.objects.all()
        if self.round is not None:
            others = others.exclude(pk=self.round.pk)
        name, name_cy = cleaned.get("name"), cleaned.get("name_cy")
        if name and (
            others.filter(name_en=name).exists() or others.filter(slug=slugify(name)).exists()
        ):
            self.add_error("name", gettext("Another round has this name: choose another"))
        if name_cy and others.filter(name_cy=name_cy).exists():
            self.add_error("name_cy", gettext("Another round has this Welsh name: choose another"))
        return cleaned

    def apply(self) -> AssessmentRound:
        """The round with the form's values, not yet saved."""
        round_ = self.round or AssessmentRound(slug=slugify(self.cleaned_data["name"]))
        round_.name_en = self.cleaned_data["name"]
        round_.name_cy = self.cleaned_data["name_cy"]
        round_.opens_on = self.cleaned_data["opens_on"]
        round_.closes_on = self.cleaned_data["closes_on"]
        if "framework" in self.cleaned_data:
            round_.framework = self.cleaned_data["framework"]
        return round_


class ConfirmForm(ErrorLinksMixin, forms.Form):
    """A confirmation page's button; with `reasons`, a checkbox saying they were read."""

    def __init__(self, *args: Any, button: str, reasons: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: list[Any] = []
        if reasons:
            self.fields["confirm"] = forms.BooleanField(
                label=gettext("I have read the above and want to go ahead"),
                error_messages={"required": gettext("Confirm that you want to go ahead")},
            )
            fields.append(Field.checkbox("confirm", small=True))
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*fields, Submit("submit", button))
