import re
from collections.abc import Mapping
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorLinksMixin, names_another_object

from .models import Council, CouncilQuerySet, CouncilType, Nation, Network, region_name


class CouncilFilterForm(forms.Form):
    """The directory's search and filters. A GET form: every field is optional."""

    q = forms.CharField(
        label=_("Search by name or GSS code"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )
    nation = forms.ChoiceField(
        label=_("Nation"),
        required=False,
        choices=[("", _("All nations")), *Nation.choices],
        error_messages={"invalid_choice": _("Select a nation from the list")},
    )
    council_type = forms.ChoiceField(
        label=_("Council type"),
        required=False,
        choices=[("", _("All council types")), *CouncilType.choices],
        error_messages={"invalid_choice": _("Select a council type from the list")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Select a region from the list")},
    )

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        named = sorted(((r, region_name(r)) for r in regions), key=lambda choice: choice[1])
        region.choices = [("", gettext("All regions")), *named]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL, spellcheck="false"),
            Field.select("nation"),
            Field.select("council_type"),
            Field.select("region"),
            Submit("submit", gettext("Apply filters")),
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


BY_NAME = "by_name"
ANONYMOUS = "anonymous"

# A choice for a network that is not on the page, e.g. "network_99" from a tampered POST.
_NETWORK_KEY = re.compile(r"^network_(\d+)$")


def _sharing_choices() -> list[Choice]:
    return [
        Choice(
            BY_NAME,
            gettext("Share our results with this network by name"),
            hint=gettext(
                "The network's analysts see your council's scores, with your council's name, "
                "on the network dashboard and in the network's reports."
            ),
        ),
        Choice(
            ANONYMOUS,
            gettext("Only include our results in anonymous figures (default)"),
            hint=ngettext(
                "Your scores count towards the network's figures, such as averages, but are "
                "never shown with your council's name. Where fewer than %(count)s council is "
                "in a group, no figures are shown at all.",
                "Your scores count towards the network's figures, such as averages, but are "
                "never shown with your council's name. Where fewer than %(count)s councils are "
                "in a group, no figures are shown at all.",
                settings.BENCHMARK_MIN_GROUP,
            )
            % {"count": settings.BENCHMARK_MIN_GROUP},
        ),
    ]


class SharingForm(ErrorLinksMixin, forms.Form):
    """How the council shares its results with each network it belongs to: one set of radios
    per network, named network_<pk>."""

    def __init__(
        self,
        *args: Any,
        networks: list[Network],
        current: Mapping[int, bool],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.networks = networks
        for network in networks:
            self.fields[self.field_name(network)] = forms.ChoiceField(
                label=gettext("How should %(network)s see your results?")
                % {"network": network.name},
                choices=_sharing_choices(),
                widget=forms.RadioSelect,
                initial=BY_NAME if current.get(network.pk, False) else ANONYMOUS,
                error_messages={
                    "required": gettext("Select how %(network)s sees your results")
                    % {"network": network.name},
                    "invalid_choice": gettext("Select how %(network)s sees your results")
                    % {"network": network.name},
                },
            )
        if networks:
            self.non_field_anchor = f"#id_{self.field_name(networks[0])}_1"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *(
                Field.radios(self.field_name(network), legend_size=Size.MEDIUM, legend_tag="h2")
                for network in networks
            ),
            Submit("submit", gettext("Save sharing choices")),
        )

    @staticmethod
    def field_name(network: Network) -> str:
        return f"network_{network.pk}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if names_another_object(self.data, _NETWORK_KEY, (n.pk for n in self.networks)):
            raise forms.ValidationError(
                gettext(
                    "Some choices were for networks your council is not a member of. Reload "
                    "the page and try again"
                )
            )
        return cleaned

    def choices(self) -> dict[Network, bool]:
        """By name (True) or anonymous (False), for each network. Call after is_valid()."""
        return {
            network: self.cleaned_data[self.field_name(network)] == BY_NAME
            for network in self.networks
        }
