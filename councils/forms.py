from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from .models import Council, CouncilQuerySet, CouncilType, Nation


class CouncilFilterForm(forms.Form):
    """The directory's search and filters. A GET form: every field is optional."""

    q = forms.CharField(
        label="Search by name or GSS code",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    nation = forms.ChoiceField(
        label="Nation",
        required=False,
        choices=[("", "All nations"), *Nation.choices],
        error_messages={"invalid_choice": "Select a nation from the list"},
    )
    council_type = forms.ChoiceField(
        label="Council type",
        required=False,
        choices=[("", "All council types"), *CouncilType.choices],
        error_messages={"invalid_choice": "Select a council type from the list"},
    )
    region = forms.ChoiceField(
        label="Region",
        required=False,
        error_messages={"invalid_choice": "Select a region from the list"},
    )

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", "All regions"), *((r, r) for r in regions)]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL, spellcheck="false"),
            Field.select("nation"),
            Field.select("council_type"),
            Field.select("region"),
            Submit("submit", "Apply filters"),
        )

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def filter(self, councils: CouncilQuerySet) -> CouncilQuerySet:
        """Apply the filters that are valid; an invalid one is reported, not applied."""
        if not self.is_bound:
            return councils
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        for name in ("nation", "council_type", "region"):
            if cleaned.get(name):
                councils = councils.filter(**{name: cleaned[name]})
        if cleaned.get("q"):
            councils = councils.search(cleaned["q"])
        return councils


def region_choices() -> list[str]:
    return list(Council.objects.order_by("region").values_list("region", flat=True).distinct())
