from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from core.fragments import KeptLayout

from .dashboard import GroupChoice
from .figures import withheld_words
from .network_dashboard import RoundChoice


def _label(choice: GroupChoice, min_group: int) -> str:
    overall = choice.overall
    if overall is None or overall.suppressed:
        size = withheld_words(overall.reason if overall else None, min_group)
    else:
        size = ngettext("%(count)s council", "%(count)s councils", overall.councils or 0) % {
            "count": overall.councils
        }
    return gettext("%(group)s (%(size)s)") % {"group": choice.name, "size": size}


class PeerGroupForm(forms.Form):
    """The round and peer-group picker: a GET form, so the choice is in the address to share."""

    round = forms.ChoiceField(
        label=_("Round"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a round"),
            "invalid_choice": _("Select a round from the list"),
        },
    )
    group = forms.ChoiceField(
        label=_("Compare with"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a group of councils to compare with"),
            "invalid_choice": _("Select a group of councils from the list"),
        },
    )

    def __init__(
        self,
        *args: Any,
        rounds: list[AssessmentRound],
        groups: list[GroupChoice],
        min_group: int,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        round_field, group_field = self.fields["round"], self.fields["group"]
        assert isinstance(round_field, forms.ChoiceField)
        assert isinstance(group_field, forms.ChoiceField)
        round_field.choices = [(r.slug, r.name) for r in rounds]
        group_field.choices = [(g.slug, _label(g, min_group)) for g in groups]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        # One round signed off: nothing to choose, so no question to answer.
        rounds_field = [Field.radios("round", legend_size=Size.SMALL, small=True)]
        if len(rounds) < 2:
            del self.fields["round"]
            rounds_field = []
        # Drawing these radios was a sixth of the dashboard's time: kept per process for the
        # choices and values shown.
        self.helper.layout = Layout(
            KeptLayout(
                *rounds_field,
                Field.radios("group", legend_size=Size.SMALL, small=True),
                Submit("submit", gettext("Show comparison"), css_class="govuk-button--secondary"),
            )
        )


class NetworkRoundForm(forms.Form):
    """The round picker on a network's dashboard: a GET form, so the round is in the address."""

    round = forms.ChoiceField(
        label=_("Round"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a round"),
            "invalid_choice": _("Select a round from the list"),
        },
    )

    def __init__(self, *args: Any, rounds: list[RoundChoice], members: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["round"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                r.slug,
                gettext("%(round)s (%(signed_off)s of %(members)s member councils signed off)")
                % {"round": r.name, "signed_off": r.signed_off, "members": members},
            )
            for r in rounds
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            KeptLayout(
                Field.radios("round", legend_size=Size.SMALL, small=True),
                Submit("submit", gettext("Show round"), css_class="govuk-button--secondary"),
            )
        )
